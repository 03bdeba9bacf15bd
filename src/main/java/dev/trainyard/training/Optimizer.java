package dev.trainyard.training;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * One optimizer step on a flat parameter vector: optional clipping of the gradient's global L2 norm,
 * then DL4J's updater (Adam, SGD or RMSProp with DL4J's default hyper-parameters) turns the gradient
 * into the update in place, and the update is subtracted with one bound op.
 */
final class Optimizer implements AutoCloseable {

    private final INDArray gradient;
    private final INDArray state;
    private final GradientUpdater<?> updater;
    private final Double clipNorm;
    private final BoundOp descend;
    private int iteration;

    /**
     * @param params   [1, P], updated in place
     * @param gradient [1, P], the same layout; overwritten by each step
     * @param clipNorm the largest global gradient norm, or null for no clipping
     */
    Optimizer(String name, double learningRate, Double clipNorm, INDArray params, INDArray gradient) {
        this.gradient = gradient;
        this.clipNorm = clipNorm;
        IUpdater config = switch (name) {
            case "adam" -> new Adam(learningRate);
            case "sgd" -> new Sgd(learningRate);
            case "rmsprop" -> new RmsProp(learningRate);
            default -> throw new TrainingException("unsupported optimizer '" + name + "', expected adam, sgd or rmsprop");
        };
        long stateSize = config.stateSize(params.length());
        // [1, n]: the shape the updaters' state views assume
        if (stateSize > 0) {
            OffHeap.reserve(stateSize * params.dataType().width(), "the optimizer's state");
        }
        state = stateSize == 0 ? null : Nd4j.zeros(params.dataType(), 1, stateSize);
        updater = config.instantiate(state, true);
        descend = new BoundOp(Ops.subtract(params, gradient, params));
    }

    /** Clips, updates and descends. Call after the gradient has been computed. */
    void step() {
        if (clipNorm != null) {
            double norm = gradient.norm2Number().doubleValue();
            if (norm > clipNorm) {
                gradient.muli(clipNorm / norm);
            }
        }
        updater.applyUpdater(gradient, iteration, iteration); // the gradient becomes the update, in place
        descend.run();
        iteration++;
    }

    @Override
    public void close() {
        descend.close();
        if (state != null && state.closeable()) {
            state.close();
        }
    }
}
