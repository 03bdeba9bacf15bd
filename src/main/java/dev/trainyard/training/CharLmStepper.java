package dev.trainyard.training;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a {@link CharLmModel} one symbol at a time, for generation: the same cell ops as training,
 * over one time step, bound once to the model's parameters and to state arrays.
 */
final class CharLmStepper implements AutoCloseable {

    private final INDArray symbol;
    private final INDArray output;
    private final List<INDArray> states = new ArrayList<>();
    private final List<BoundOp> ops = new ArrayList<>();

    CharLmStepper(CharLmModel model) {
        DataType type = model.params.dataType();
        int h = model.hidden;
        CharLmModel.Views p = model.views;
        symbol = Nd4j.zeros(DataType.INT32, 1);
        INDArray x = Nd4j.zeros(type, 1, model.embedding);
        ops.add(new BoundOp(Ops.gather(p.embedding(), symbol, x)));
        INDArray length = Nd4j.scalar(DataType.INT32, 1);
        INDArray zeros = Nd4j.zeros(type, h);
        for (CharLmModel.Layer layer : p.layers()) {
            INDArray state = state(type, h);
            switch (model.cell) {
                case RNN -> {
                    INDArray pre = Nd4j.zeros(type, 1, h);
                    ops.add(new BoundOp(Ops.mmul(x, layer.wx(), pre, false, false, 1, 0)));
                    ops.add(new BoundOp(Ops.mmul(state, layer.wh(), pre, false, false, 1, 1)));
                    ops.add(new BoundOp(Ops.add(pre, layer.bRow(), pre)));
                    ops.add(new BoundOp(Ops.tanh(pre, state)));
                }
                case GRU -> {
                    INDArray zx = Nd4j.zeros(type, 1, 3 * h);
                    ops.add(new BoundOp(Ops.mmul(x, layer.wx(), zx, false, false, 1, 0)));
                    ops.add(new BoundOp(Ops.add(zx, layer.bRow(), zx)));
                    CharLmTraining.bindGruStep(layer, state, zx, Nd4j.zeros(type, 1, 3 * h), Nd4j.zeros(type, 1, 2 * h),
                            Nd4j.zeros(type, 1, 2 * h), Nd4j.zeros(type, 1, h), Nd4j.zeros(type, 1, h),
                            Nd4j.zeros(type, 1, h), Nd4j.zeros(type, 1, h), state, true, ops);
                }
                case LSTM -> {
                    INDArray cell = state(type, h);
                    INDArray[] gates = new INDArray[7];
                    for (int g = 0; g < gates.length; g++) {
                        gates[g] = Nd4j.zeros(type, 1, 1, h);
                    }
                    ops.add(new BoundOp(Ops.lstmBlock(length, x.reshape(1, 1, layer.in()), cell, state, layer.w(), zeros,
                            layer.b(), gates)));
                    ops.add(new BoundOp(Ops.copy(gates[1].reshape(1, h), cell)));
                    ops.add(new BoundOp(Ops.copy(gates[6].reshape(1, h), state)));
                }
            }
            x = state;
        }
        output = Nd4j.zeros(type, 1, model.vocabulary.size());
        ops.add(new BoundOp(Ops.mmul(x, p.wo(), output, false, false, 1, 0)));
        ops.add(new BoundOp(Ops.add(output, p.bo(), output)));
    }

    private INDArray state(DataType type, int hidden) {
        INDArray state = Nd4j.zeros(type, 1, hidden);
        states.add(state);
        return state;
    }

    /** Zeroes the recurrent state, as at the start of a sequence. */
    void reset() {
        states.forEach(s -> s.assign(0));
    }

    /** Feeds one symbol and returns the output vector (logits) for the next. */
    float[] step(int next) {
        symbol.putScalar(0, next);
        for (BoundOp op : ops) {
            op.run();
        }
        return output.toFloatVector();
    }

    @Override
    public void close() {
        ops.forEach(BoundOp::close);
    }
}
