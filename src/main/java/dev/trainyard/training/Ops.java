package dev.trainyard.training;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.ops.impl.shape.OneHot;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;

/**
 * The libnd4j custom ops the hand-built models bind, each with its output array given, so that a
 * {@link BoundOp} can replay it. Pairwise ops broadcast numpy-style.
 */
final class Ops {

    private Ops() {
    }

    /** {@code c = alpha * op(a) · op(b) + beta * c}. */
    static DynamicCustomOp mmul(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB, double alpha,
            double beta) {
        return new Mmul(a, b, c, alpha, beta, MMulTranspose.builder().transposeA(transA).transposeB(transB).build());
    }

    static DynamicCustomOp add(INDArray a, INDArray b, INDArray out) {
        return pairwise("add", a, b, out);
    }

    static DynamicCustomOp subtract(INDArray a, INDArray b, INDArray out) {
        return pairwise("subtract", a, b, out);
    }

    static DynamicCustomOp multiply(INDArray a, INDArray b, INDArray out) {
        return pairwise("multiply", a, b, out);
    }

    static DynamicCustomOp tanh(INDArray in, INDArray out) {
        return unary("tanh", in, out);
    }

    static DynamicCustomOp sigmoid(INDArray in, INDArray out) {
        return unary("sigmoid", in, out);
    }

    static DynamicCustomOp copy(INDArray from, INDArray to) {
        return unary("identity", from, to);
    }

    /** {@code out = grad * (1 - tanh(pre)^2)}. */
    static DynamicCustomOp tanhBackward(INDArray pre, INDArray grad, INDArray out) {
        return new TanhDerivative(pre, grad, out);
    }

    /** {@code out = grad * sigmoid(pre) * (1 - sigmoid(pre))}. */
    static DynamicCustomOp sigmoidBackward(INDArray pre, INDArray grad, INDArray out) {
        return new SigmoidDerivative(pre, grad, out);
    }

    /** Rows {@code indices} of {@code table}. */
    static DynamicCustomOp gather(INDArray table, INDArray indices, INDArray out) {
        return DynamicCustomOp.builder("gather").addInputs(table, indices).addOutputs(out).addIntegerArguments(0).build();
    }

    /** Row i of {@code out} (which has {@code rows} rows) is the sum of the rows of {@code data} whose index is i. */
    static DynamicCustomOp segmentSum(INDArray data, INDArray indices, INDArray out, int rows) {
        return DynamicCustomOp.builder("unsorted_segment_sum").addInputs(data, indices).addOutputs(out)
                .addIntegerArguments(rows).build();
    }

    static DynamicCustomOp softmax(INDArray in, INDArray out) {
        return new SoftMax(in, out, 1);
    }

    static DynamicCustomOp oneHot(INDArray indices, INDArray out, int depth) {
        return new OneHot(indices, out, depth);
    }

    /**
     * libnd4j's fused GRU over a whole sequence, gates ordered reset, update, candidate:
     * {@code r = σ(x·Wxr + h·Whr + br)}, {@code u = σ(x·Wxu + h·Whu + bu)},
     * {@code c = tanh(x·Wxc + r ⊙ (h·Whc) + bc)}, {@code h' = u ⊙ h + (1 - u) ⊙ c}.
     *
     * @param x [T, B, in]; @param h0 [B, H]; @param wx [in, 3H]; @param wh [H, 3H]; @param b [3H]
     * @param h [T, B, H]
     */
    static DynamicCustomOp gru(INDArray x, INDArray h0, INDArray wx, INDArray wh, INDArray b, INDArray h) {
        return DynamicCustomOp.builder("gru").addInputs(x, h0, wx, wh, b).addOutputs(h).build();
    }

    /**
     * libnd4j's fused LSTM over a whole sequence, no peepholes, gates ordered input, candidate,
     * forget, output in {@code w = [Wx; Wh]} ([in + H, 4H]) and {@code b} ([4H]).
     *
     * @param length a scalar, the sequence length
     * @param x      [T, B, in]; {@code c0}, {@code h0} [B, H]; {@code peephole} [H] of zeros
     * @param gates  the outputs, each [T, B, H]: i, c, f, o, candidate g, tanh(c), h
     */
    static DynamicCustomOp lstmBlock(INDArray length, INDArray x, INDArray c0, INDArray h0, INDArray w,
            INDArray peephole, INDArray b, INDArray... gates) {
        return DynamicCustomOp.builder("lstmBlock")
                .addInputs(length, x, c0, h0, w, peephole, peephole, peephole, b)
                .addOutputs(gates)
                .addIntegerArguments(0, 0) // no peepholes; [T, B, in]
                .addFloatingPointArguments(0.0, 0.0) // no forget bias, no cell clipping
                .build();
    }

    private static DynamicCustomOp pairwise(String name, INDArray a, INDArray b, INDArray out) {
        return DynamicCustomOp.builder(name).addInputs(a, b).addOutputs(out).build();
    }

    private static DynamicCustomOp unary(String name, INDArray in, INDArray out) {
        return DynamicCustomOp.builder(name).addInputs(in).addOutputs(out).build();
    }
}
