package dev.trainyard.training;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.SubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Full-batch training of {@link SeedRnnModel} on one text between the start and end markers (the
 * seed sentence, or a {@code memorize:N} string), as the tutorial does it: the whole sequence is one
 * minibatch, the loss is the per-step MSE summed over steps, one optimizer step per epoch.
 *
 * <p>Why not {@code MultiLayerNetwork} + {@code SimpleRnn}: it reproduces the sentence too, but costs
 * ~20 ms/epoch here against PyTorch's ~4.5, because every one of its few hundred tiny ops pays
 * ~10 µs of JNI and context setup. Here the graph is fixed, so every op is bound once to
 * preallocated arrays ({@link BoundOp}) and replayed: the input projection is one matmul over all
 * steps, only the recurrence is unrolled (a matmul and a tanh per step, forward and back), and the
 * gradients land in one flat vector that DL4J's Adam updates in one op.
 */
final class SeedRnnTraining implements AutoCloseable {

    /**
     * Loss is the mean per step; accuracy is teacher-forced next-symbol accuracy; hiddenGradientNorms,
     * when the step was asked for them, ‖dLoss/dh_{T-1-k}‖ per distance k, else null.
     */
    record Step(double loss, double accuracy, double[] hiddenGradientNorms) {
        Step(double loss, double accuracy) {
            this(loss, accuracy, null);
        }
    }

    private final SeedRnnModel model;
    private final int steps;
    private final int[] targets;
    private final INDArray gradient;
    private final Optimizer optimizer;
    private final INDArray output;
    private final List<BoundOp> forward = new ArrayList<>();
    private final List<BoundOp> backward = new ArrayList<>();
    /** dLoss/dOutput over 2/n, and dLoss/dPre once backward has run: what dLoss/dh_t is rebuilt from. */
    private final INDArray error;
    private final INDArray delta;
    /** The distances k whose ‖dLoss/dh_{T-1-k}‖ {@link #hiddenGradientNorms()} reports, as given. */
    private final int[] distances;

    /** The tutorial's setting: the seed sentence, Adam. */
    SeedRnnTraining(SeedRnnModel model, double learningRate) {
        this(model, SeedSentence.symbols(), "adam", learningRate, null);
    }

    /**
     * @param symbols  start marker, the text's symbols, end marker
     * @param clipNorm the largest global gradient norm, or null
     */
    SeedRnnTraining(SeedRnnModel model, int[] symbols, String optimizerName, double learningRate, Double clipNorm) {
        this(model, symbols, optimizerName, learningRate, clipNorm, new int[0]);
    }

    /**
     * @param distances the k (0 to steps - 1) at which {@link #hiddenGradientNorms()} reports
     *                  ‖dLoss/dh<sub>T-1-k</sub>‖, T being the sequence's steps
     */
    SeedRnnTraining(SeedRnnModel model, int[] symbols, String optimizerName, double learningRate, Double clipNorm,
            int[] distances) {
        this.model = model;
        DataType type = model.params.dataType();
        int n = model.symbols;
        int hidden = model.hidden;
        steps = symbols.length - 1;
        this.distances = distances.clone();
        for (int k : this.distances) {
            if (k < 0 || k >= steps) {
                throw new IllegalArgumentException("distance " + k + " is outside the " + steps + " steps");
            }
        }
        targets = new int[steps];
        INDArray inputs = Nd4j.zeros(type, steps, n);
        INDArray labels = Nd4j.zeros(type, steps, n);
        for (int t = 0; t < steps; t++) {
            inputs.putScalar(t, symbols[t], 1.0);
            labels.putScalar(t, symbols[t + 1], 1.0);
            targets[t] = symbols[t + 1];
        }
        INDArray ones = Nd4j.ones(type, 1, steps);
        INDArray pre = Nd4j.zeros(type, steps, hidden);
        // row 0 is the initial hidden state (zeros), row t + 1 the state after step t
        INDArray states = Nd4j.zeros(type, steps + 1, hidden);
        INDArray previous = states.get(interval(0, steps), NDArrayIndex.all());
        INDArray hiddens = states.get(interval(1, steps + 1), NDArrayIndex.all());
        output = Nd4j.zeros(type, steps, n);
        error = Nd4j.zeros(type, steps, n);
        delta = Nd4j.zeros(type, steps, hidden); // dLoss/dPre, filled back to front

        SeedRnnModel.Views p = model.views;
        gradient = Nd4j.zeros(type, 1, model.params.length()); // [1, P]: the shape Adam's state view implies
        SeedRnnModel.Views g = SeedRnnModel.Views.of(gradient, n, hidden);

        // forward: pre = x·Wi + bi + bh for all steps, then h_t = tanh(pre_t + h_{t-1}·Wh)
        forward.add(bind(mmul(inputs, p.wi(), pre, false, false, 1, 0)));
        forward.add(bind(new AddOp(pre, p.bi(), pre)));
        forward.add(bind(new AddOp(pre, p.bh(), pre)));
        for (int t = 0; t < steps; t++) {
            INDArray preT = pre.getRow(t, true);
            if (t > 0) {
                forward.add(bind(mmul(states.getRow(t, true), p.wh(), preT, false, false, 1, 1)));
            }
            forward.add(bind(DynamicCustomOp.builder("tanh")
                    .addInputs(preT).addOutputs(states.getRow(t + 1, true)).build()));
        }
        forward.add(bind(mmul(hiddens, p.wo(), output, false, false, 1, 0)));
        forward.add(bind(new AddOp(output, p.bo(), output)));
        forward.add(bind(new SubOp(output, labels, error)));

        // backward: MSE mean over symbols, summed over steps, so dLoss/dOutput = 2/n · error
        double scale = 2.0 / n;
        backward.add(bind(mmul(hiddens, error, g.wo(), true, false, scale, 0)));
        backward.add(bind(mmul(ones, error, g.bo(), false, false, scale, 0)));
        backward.add(bind(mmul(error, p.wo(), delta, false, true, scale, 0)));
        for (int t = steps - 1; t >= 0; t--) {
            INDArray deltaT = delta.getRow(t, true);
            if (t < steps - 1) {
                backward.add(bind(mmul(delta.getRow(t + 1, true), p.wh(), deltaT, false, true, 1, 1)));
            }
            backward.add(bind(new TanhDerivative(pre.getRow(t, true), deltaT, deltaT)));
        }
        backward.add(bind(mmul(previous, delta, g.wh(), true, false, 1, 0)));
        backward.add(bind(mmul(inputs, delta, g.wi(), true, false, 1, 0)));
        backward.add(bind(mmul(ones, delta, g.bi(), false, false, 1, 0)));
        backward.add(bind(mmul(ones, delta, g.bh(), false, false, 1, 0)));
        optimizer = new Optimizer(optimizerName, learningRate, clipNorm, model.params, gradient);
    }

    /** One epoch: forward, backward, one optimizer step. Metrics describe the parameters before the step. */
    Step fitOnce() {
        return fitOnce(false);
    }

    /** As {@link #fitOnce()}, with the hidden-state gradient norms too when {@code probe} is set. */
    Step fitOnce(boolean probe) {
        Step step = computeGradient();
        if (probe) {
            step = new Step(step.loss(), step.accuracy(), hiddenGradientNorms());
        }
        optimizer.step();
        return step;
    }

    /** Forward and backward only; leaves dLoss/dParams in {@link #gradient()}. */
    Step computeGradient() {
        forward.forEach(BoundOp::run);
        backward.forEach(BoundOp::run);
        return metrics(output.data().asDouble());
    }

    INDArray gradient() {
        return gradient;
    }

    /** The distances {@link #hiddenGradientNorms()} reports, as given. */
    int[] distances() {
        return distances.clone();
    }

    /** After {@link #computeGradient()}, before the parameters move: ‖dLoss/dh_{T-1-k}‖ per distance k. */
    double[] hiddenGradientNorms() {
        double[] norms = new double[distances.length];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = hiddenGradient(i).norm2Number().doubleValue();
        }
        return norms;
    }

    /**
     * After {@link #computeGradient()}, before the parameters move: dLoss/dh_t, [1, hidden], for the i-th
     * distance, t = T-1-k. It is the output's share plus the next step's, the sum the backward pass forms in
     * {@code delta} before the tanh derivative overwrites it; rebuilding it here, only on the steps that log
     * it, keeps the per-step op list (a few µs an op) as it was.
     */
    INDArray hiddenGradient(int i) {
        int t = steps - 1 - distances[i];
        SeedRnnModel.Views p = model.views;
        INDArray dh = error.getRow(t, true).mmul(p.wo().transpose()).muli(2.0 / model.symbols);
        if (t < steps - 1) {
            dh.addi(delta.getRow(t + 1, true).mmul(p.wh().transpose()));
        }
        return dh;
    }

    int steps() {
        return steps;
    }

    SeedRnnModel model() {
        return model;
    }

    /** The summed loss the gradient belongs to (mean per step times steps), in double, for gradient checks. */
    double summedLoss() {
        forward.forEach(BoundOp::run);
        return metrics(output.data().asDouble()).loss * steps;
    }

    private Step metrics(double[] out) {
        int n = model.symbols;
        double squares = 0;
        int correct = 0;
        for (int t = 0; t < steps; t++) {
            int best = 0;
            for (int k = 0; k < n; k++) {
                double v = out[t * n + k];
                double d = v - (k == targets[t] ? 1 : 0);
                squares += d * d;
                if (v > out[t * n + best]) {
                    best = k;
                }
            }
            if (best == targets[t]) {
                correct++;
            }
        }
        return new Step(squares / n / steps, (double) correct / steps);
    }

    private BoundOp bind(DynamicCustomOp op) {
        return new BoundOp(op);
    }

    private static Mmul mmul(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha, double beta) {
        return new Mmul(a, b, c, alpha, beta, MMulTranspose.builder().transposeA(transA).transposeB(transB).build());
    }

    private static INDArrayIndex interval(long from, long to) {
        return NDArrayIndex.interval(from, to);
    }

    @Override
    public void close() {
        forward.forEach(BoundOp::close);
        backward.forEach(BoundOp::close);
        optimizer.close();
    }
}
