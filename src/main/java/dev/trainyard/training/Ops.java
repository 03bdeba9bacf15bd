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

    /**
     * Adds row r of {@code updates} to row {@code indices[r]} of {@code target}, in place; repeated
     * indices accumulate (locked, so never two threads on one row). libnd4j's
     * {@code unsorted_segment_sum} would do this without zeroing first, but leaks ~23 KB per call in
     * 1.0.0-M2.1 (measured: resident memory grows linearly with calls).
     */
    static DynamicCustomOp scatterAdd(INDArray target, INDArray indices, INDArray updates) {
        return DynamicCustomOp.builder("scatter_add").addInputs(target, indices, updates).addOutputs(target)
                .addBooleanArguments(true).build();
    }

    static DynamicCustomOp softmax(INDArray in, INDArray out) {
        return new SoftMax(in, out, 1);
    }

    static DynamicCustomOp oneHot(INDArray indices, INDArray out, int depth) {
        return new OneHot(indices, out, depth);
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
