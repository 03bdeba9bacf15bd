package dev.trainyard.training;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One training step of a {@link CharLmModel} on {@code batch} sequences of {@code steps} characters,
 * time-major (row {@code t·B + b} is step t of sequence b). Every op is bound once to preallocated
 * arrays ({@link BoundOp}) and replayed each epoch.
 *
 * <p>Forward: the embedding is a gather. The LSTM layer is one fused libnd4j op over the whole
 * sequence ({@code lstmBlock}, which also returns every gate and cell state the backward needs).
 * The RNN and GRU unroll bound ops per step (2 and 9), with the input projections batched over all
 * steps: libnd4j has no trainable fused RNN op, and its fused {@code gru} op leaks ~200 bytes per
 * time step per call in 1.0.0-M2.1 (measured: resident memory grew linearly, ~20 MB per 500-epoch
 * job), besides having a wrong {@code gru_bp}.
 *
 * <p>Backward is derived by hand: libnd4j's {@code gru_bp} is wrong in 1.0.0-M2.1 (relative errors
 * of 1 against finite differences, measured) and {@code lstmLayer_bp} is right but takes ~48 ms for
 * one 200-step sequence, more than PyTorch's whole epoch. The per-step coefficients are computed in
 * a few batched ops from the forward's gates; only the recurrence dL/dh<sub>t-1</sub> ←
 * dL/dh<sub>t</sub> is unrolled: 2 ops a step for RNN and GRU, 6 for LSTM (its cell state has a
 * recurrence of its own).
 */
final class CharLmTraining implements AutoCloseable {

    /**
     * Loss is the mean per scored step (every step, or a task's recall steps); accuracy is teacher-forced
     * next-symbol accuracy on the same steps.
     */
    record Step(double loss, double accuracy) {
    }

    /** What a bound op holds natively, and how many are bound between two checks of the budget. */
    private static final long BYTES_PER_OP = 10_240;
    private static final int OPS_PER_CHECK = 1024;

    private final CharLmModel model;
    private final int steps;
    private final int batch;
    private final int rows;
    private final INDArray inputs;
    private final INDArray targets;
    private final int[] targetSymbols;
    /** Which rows the loss and accuracy count; null: all of them. */
    private boolean[] scoredRows;
    /** Per row: rows / scored rows when scored, else 0, so that alpha / rows ⊙ it averages over the scored. */
    private final INDArray rowScale;
    /** The distances k whose dL/dh_{T-1-k} of the top layer {@link #hiddenGradients} copies, ascending. */
    private final int[] distances;
    private final INDArray[] hiddenGradients;
    private final INDArray logits;
    private final INDArray gradient;
    private final List<BoundOp> forward = new ArrayList<>();
    private final List<BoundOp> backward = new ArrayList<>();
    private final List<INDArray> owned = new ArrayList<>();
    private final DataType type;
    private final INDArray one;
    private final INDArray ones;
    /** Ops bound when the budget is next checked. */
    private int checkedOps;

    /**
     * What a layer's backward pass needs from its forward pass: its input, its states (block 0 the
     * initial zeros, then h_t: {@code hs}; {@code hprev} is h_{t-1}), the RNN's pre-activations, the
     * LSTM's gate outputs and cell states.
     */
    private record LayerArrays(INDArray in, INDArray hs, INDArray hprev, INDArray pre, INDArray[] gates,
            INDArray cells) {
    }

    CharLmTraining(CharLmModel model, int steps, int batch) {
        this(model, steps, batch, new int[0]);
    }

    /**
     * @param distances the k (0 to steps - 1) at which {@link #hiddenGradientNorms()} reports
     *                  ‖dLoss/dh<sub>T-1-k</sub>‖ of the top recurrent layer
     */
    CharLmTraining(CharLmModel model, int steps, int batch, int[] distances) {
        this.model = model;
        this.steps = steps;
        this.batch = batch;
        this.rows = steps * batch;
        this.type = model.params.dataType();
        int symbols = model.vocabulary.size();
        int h = model.hidden;
        CharLmModel.Views p = model.views;
        try {
            inputs = own(Nd4j.zeros(DataType.INT32, rows));
            targets = own(Nd4j.zeros(DataType.INT32, rows));
            targetSymbols = new int[rows];
            this.distances = distances.clone();
            for (int k : this.distances) {
                if (k < 0 || k >= steps) {
                    throw new IllegalArgumentException("distance " + k + " is outside the " + steps + " steps");
                }
            }
            hiddenGradients = new INDArray[this.distances.length];
            rowScale = array(rows, 1).assign(1);
            one = own(Nd4j.scalar(type, 1.0));
            ones = array(1, rows).assign(1);
            gradient = array(1, model.params.length());
            CharLmModel.Views g = CharLmModel.Views.of(gradient, model.cell, symbols, model.embedding, h, model.layers);

            // forward
            INDArray x0 = array(rows, model.embedding);
            forward.add(bind(Ops.gather(p.embedding(), inputs, x0)));
            List<LayerArrays> layers = new ArrayList<>();
            INDArray in = x0;
            for (CharLmModel.Layer layer : p.layers()) {
                LayerArrays arrays = forward(layer, in);
                layers.add(arrays);
                in = arrays.hs();
            }
            INDArray top = in;
            logits = array(rows, symbols);
            forward.add(bind(Ops.mmul(top, p.wo(), logits, false, false, 1, 0)));
            forward.add(bind(Ops.add(logits, p.bo(), logits)));

            // backward: dLoss/dLogits, with the mean over rows (and over symbols for MSE) folded into alpha
            INDArray oneHot = array(rows, symbols);
            INDArray dLogits = array(rows, symbols);
            backward.add(bind(Ops.oneHot(targets, oneHot, symbols)));
            double alpha;
            if ("mse".equals(model.loss)) {
                backward.add(bind(Ops.subtract(logits, oneHot, dLogits)));
                alpha = 2.0 / symbols / rows;
            } else {
                INDArray probabilities = array(rows, symbols);
                backward.add(bind(Ops.softmax(logits, probabilities)));
                backward.add(bind(Ops.subtract(probabilities, oneHot, dLogits)));
                alpha = 1.0 / rows;
            }
            backward.add(bind(Ops.multiply(dLogits, rowScale, dLogits)));
            backward.add(bind(Ops.mmul(top, dLogits, g.wo(), true, false, alpha, 0)));
            backward.add(bind(Ops.mmul(ones, dLogits, g.bo(), false, false, alpha, 0)));
            INDArray dh = array(rows, h);
            backward.add(bind(Ops.mmul(dLogits, p.wo(), dh, false, true, alpha, 0)));
            for (int l = model.layers - 1; l >= 0; l--) {
                INDArray dIn = array(rows, l == 0 ? model.embedding : h);
                probed = l == model.layers - 1;
                backward(p.layers().get(l), g.layers().get(l), layers.get(l), dh, dIn);
                dh = dIn;
            }
            backward.add(bind(Ops.copy(array(symbols, model.embedding), g.embedding())));
            backward.add(bind(Ops.scatterAdd(g.embedding(), inputs, dh)));
        } catch (RuntimeException | Error e) {
            close(); // a job too big for the memory left must not hold on to what it got
            throw e;
        }
    }

    /** Whether the layer whose backward is being bound is the one {@link #probe} copies from. */
    private boolean probed;

    /**
     * Binds a copy of dL/dh_t, once it is complete (every later step's and the output's share added)
     * and before anything overwrites it, when t is at a probed distance from the last step.
     */
    private void probe(int t, INDArray dhT) {
        if (!probed) {
            return;
        }
        for (int i = 0; i < distances.length; i++) {
            if (steps - 1 - distances[i] == t) {
                hiddenGradients[i] = array(batch, model.hidden);
                backward.add(bind(Ops.copy(dhT, hiddenGradients[i])));
            }
        }
    }

    private LayerArrays forward(CharLmModel.Layer layer, INDArray in) {
        int h = model.hidden;
        INDArray states = array((steps + 1) * batch, h); // block 0: the initial state, zeros
        INDArray hs = rows(states, batch, rows + batch);
        INDArray hprev = rows(states, 0, rows);
        switch (model.cell) {
            case RNN -> {
                INDArray pre = array(rows, h);
                forward.add(bind(Ops.mmul(in, layer.wx(), pre, false, false, 1, 0)));
                forward.add(bind(Ops.add(pre, layer.bRow(), pre)));
                for (int t = 0; t < steps; t++) {
                    INDArray preT = step(pre, t);
                    if (t > 0) { // the initial state is zero
                        forward.add(bind(Ops.mmul(step(states, t), layer.wh(), preT, false, false, 1, 1)));
                    }
                    forward.add(bind(Ops.tanh(preT, step(states, t + 1))));
                }
                return new LayerArrays(in, hs, hprev, pre, null, null);
            }
            case GRU -> {
                // see CellType.GRU; zh = h·Wh, zru = the r and u pre-activations, hmc = h_{t-1} - c
                INDArray zx = array(rows, 3 * h);
                INDArray zh = array(rows, 3 * h);
                INDArray zru = array(rows, 2 * h);
                INDArray ru = array(rows, 2 * h);
                INDArray cPre = array(rows, h);
                INDArray c = array(rows, h);
                INDArray hmc = array(rows, h);
                INDArray temp = array(rows, h);
                forward.add(bind(Ops.mmul(in, layer.wx(), zx, false, false, 1, 0)));
                forward.add(bind(Ops.add(zx, layer.bRow(), zx)));
                for (int t = 0; t < steps; t++) {
                    bindGruStep(layer, step(states, t), step(zx, t), step(zh, t), step(zru, t), step(ru, t),
                            step(cPre, t), step(c, t), step(hmc, t), step(temp, t), step(states, t + 1), t > 0, forward);
                }
                return new LayerArrays(in, hs, hprev, null, new INDArray[] {zx, zh, zru, ru, cPre, c, hmc}, null);
            }
            case LSTM -> {
                // gates i, c, f, o, g, tanh(c), h as [T·B, H]; c goes to its own [T+1] blocks, h to the states
                INDArray cells = array((steps + 1) * batch, h);
                INDArray[] gates = {array(rows, h), rows(cells, batch, rows + batch), array(rows, h), array(rows, h),
                        array(rows, h), array(rows, h), hs};
                INDArray[] outputs = new INDArray[gates.length];
                for (int i = 0; i < gates.length; i++) {
                    outputs[i] = sequence(gates[i]);
                }
                forward.add(bind(Ops.lstmBlock(own(Nd4j.scalar(DataType.INT32, steps)), sequence(in), rows(cells, 0, batch),
                        rows(states, 0, batch), layer.w(), array(h), layer.b(), outputs)));
                return new LayerArrays(in, hs, hprev, null, gates, cells);
            }
            default -> throw new IllegalStateException();
        }
    }

    private void backward(CharLmModel.Layer p, CharLmModel.Layer g, LayerArrays a, INDArray d, INDArray dIn) {
        switch (model.cell) {
            case RNN -> rnnBackward(p, g, a, d, dIn);
            case GRU -> gruBackward(p, g, a, d, dIn);
            case LSTM -> lstmBackward(p, g, a, d, dIn);
        }
    }

    /** h_t = tanh(pre_t): dPre_t = dh_t ⊙ (1 - h_t²), in place; dh_{t-1} += dPre_t · Whᵀ. */
    private void rnnBackward(CharLmModel.Layer p, CharLmModel.Layer g, LayerArrays a, INDArray d, INDArray dIn) {
        INDArray pre = a.pre();
        for (int t = steps - 1; t >= 0; t--) {
            INDArray dT = step(d, t);
            probe(t, dT);
            backward.add(bind(Ops.tanhBackward(step(pre, t), dT, dT)));
            if (t > 0) {
                backward.add(bind(Ops.mmul(dT, p.wh(), step(d, t - 1), false, true, 1, 1)));
            }
        }
        weightGradients(g, a, d, d);
        backward.add(bind(Ops.mmul(d, p.wx(), dIn, false, true, 1, 0)));
    }

    /**
     * One GRU step (see {@link CellType#GRU}) as 9 ops, given {@code zx} = x·Wx + b:
     * zh = h·Wh; r,u = σ(zx_ru + zh_ru); c = tanh(zx_c + r ⊙ zh_c); h' = c + u ⊙ (h - c).
     *
     * @param recurrent false when h is known to be zero (the first step), so zh stays zero
     */
    static void bindGruStep(CharLmModel.Layer layer, INDArray hPrev, INDArray zx, INDArray zh, INDArray zru,
            INDArray ru, INDArray cPre, INDArray c, INDArray hmc, INDArray temp, INDArray hNext, boolean recurrent,
            List<BoundOp> ops) {
        int h = (int) hPrev.size(1);
        if (recurrent) {
            ops.add(new BoundOp(Ops.mmul(hPrev, layer.wh(), zh, false, false, 1, 0)));
        }
        ops.add(new BoundOp(Ops.add(cols(zx, 0, 2 * h), cols(zh, 0, 2 * h), zru)));
        ops.add(new BoundOp(Ops.sigmoid(zru, ru)));
        ops.add(new BoundOp(Ops.multiply(cols(ru, 0, h), cols(zh, 2 * h, 3 * h), temp)));
        ops.add(new BoundOp(Ops.add(cols(zx, 2 * h, 3 * h), temp, cPre)));
        ops.add(new BoundOp(Ops.tanh(cPre, c)));
        ops.add(new BoundOp(Ops.subtract(hPrev, c, hmc)));
        ops.add(new BoundOp(Ops.multiply(cols(ru, h, 2 * h), hmc, temp)));
        ops.add(new BoundOp(Ops.add(c, temp, hNext)));
    }

    /**
     * The GRU's backward. With zc = x·Wxc + r ⊙ (h·Whc) + bc:
     * dzc = dh ⊙ (1-u)(1-c²) = dh ⊙ Ac; dzu = dh ⊙ (h-c)u(1-u); dzr = dh ⊙ Ac ⊙ (h·Whc) ⊙ r(1-r);
     * d(h·Wh) = [dzr, dzu, dzc ⊙ r]; dh_{t-1} = dh ⊙ u + d(h·Wh) · Whᵀ.
     * With K = [Ar, Au, Ac ⊙ r, u] per step, dZ_t = K_t ⊙ dh_t (broadcast over the 4 blocks), and
     * dh_{t-1} += dZ_t · [Wh | I]ᵀ: two ops a step.
     */
    private void gruBackward(CharLmModel.Layer p, CharLmModel.Layer g, LayerArrays a, INDArray d, INDArray dIn) {
        int h = model.hidden;
        INDArray zh = a.gates()[1];
        INDArray zru = a.gates()[2];
        INDArray ru = a.gates()[3];
        INDArray cPre = a.gates()[4];
        INDArray hmc = a.gates()[6];
        INDArray ac = array(rows, h);
        INDArray temp = array(rows, h);
        INDArray k = array(rows, 4, h);
        INDArray dz = array(rows, 4, h);
        INDArray dzx = array(rows, 3 * h);
        INDArray m = array(h, 4 * h);
        for (int i = 0; i < h; i++) {
            m.putScalar(i, 3L * h + i, 1.0);
        }
        INDArray r = cols(ru, 0, h);
        INDArray u = cols(ru, h, 2 * h);
        INDArray zhc = cols(zh, 2 * h, 3 * h);
        // K = [Ar, Au, Ac ⊙ r, u]
        backward.add(bind(Ops.subtract(one, u, temp)));
        backward.add(bind(Ops.tanhBackward(cPre, temp, ac)));
        backward.add(bind(Ops.sigmoidBackward(cols(zru, h, 2 * h), hmc, block(k, 1))));
        backward.add(bind(Ops.multiply(ac, zhc, temp)));
        backward.add(bind(Ops.sigmoidBackward(cols(zru, 0, h), temp, block(k, 0))));
        backward.add(bind(Ops.multiply(ac, r, block(k, 2))));
        backward.add(bind(Ops.copy(u, block(k, 3))));
        backward.add(bind(Ops.copy(p.wh(), cols(m, 0, 3 * h))));
        for (int t = steps - 1; t >= 0; t--) {
            INDArray dzT = step(dz, t);
            probe(t, step(d, t));
            backward.add(bind(Ops.multiply(step(k, t), step(d, t).reshape(batch, 1, h), dzT)));
            if (t > 0) {
                backward.add(bind(Ops.mmul(dzT.reshape(batch, 4 * h), m, step(d, t - 1), false, true, 1, 1)));
            }
        }
        INDArray dz2 = dz.reshape(rows, 4 * h);
        // dZx = [dzr, dzu, dzc]: the candidate's input part is not scaled by r
        backward.add(bind(Ops.copy(cols(dz2, 0, 2 * h), cols(dzx, 0, 2 * h))));
        backward.add(bind(Ops.multiply(d, ac, cols(dzx, 2 * h, 3 * h))));
        weightGradients(g, a, dzx, cols(dz2, 0, 3 * h));
        backward.add(bind(Ops.mmul(dzx, p.wx(), dIn, false, true, 1, 0)));
    }

    /**
     * lstmBlock's LSTM, gates [i, g, f, o]: c_t = f ⊙ c_{t-1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
     * dc_t = dh_t ⊙ o(1 - tanh²c_t) + dc_{t+1} ⊙ f_{t+1}; dZ = [dc ⊙ g·i(1-i), dc ⊙ i(1-g²),
     * dc ⊙ c_{t-1}·f(1-f), dh ⊙ tanh(c)·o(1-o)]; dh_{t-1} += dZ_t · Whᵀ.
     */
    private void lstmBackward(CharLmModel.Layer p, CharLmModel.Layer g, LayerArrays a, INDArray d, INDArray dIn) {
        int h = model.hidden;
        INDArray[] gates = a.gates();
        INDArray i = gates[0];
        INDArray cell = gates[1];
        INDArray f = gates[2];
        INDArray o = gates[3];
        INDArray cand = gates[4];
        INDArray tanhC = gates[5];
        INDArray cPrev = rows(a.cells(), 0, rows);
        INDArray scale = array(rows, h); // o(1 - tanh²c)
        INDArray temp = array(rows, h);
        INDArray k = array(rows, 4, h);
        INDArray dz = array(rows, 4, h);
        INDArray dc = array(rows, h);
        INDArray carry = array(batch, h);
        backward.add(bind(Ops.tanhBackward(cell, o, scale)));
        derivativeTimes(i, cand, temp, block(k, 0)); // g · i(1-i)
        backward.add(bind(Ops.multiply(cand, cand, temp)));
        backward.add(bind(Ops.subtract(one, temp, temp)));
        backward.add(bind(Ops.multiply(temp, i, block(k, 1)))); // i · (1-g²)
        derivativeTimes(f, cPrev, temp, block(k, 2)); // c_{t-1} · f(1-f)
        derivativeTimes(o, tanhC, temp, block(k, 3)); // tanh(c) · o(1-o)
        for (int t = steps - 1; t >= 0; t--) {
            INDArray dT = step(d, t);
            INDArray dcT = step(dc, t);
            INDArray dzT = step(dz, t);
            probe(t, dT);
            backward.add(bind(Ops.multiply(dT, step(scale, t), dcT)));
            if (t < steps - 1) {
                backward.add(bind(Ops.multiply(step(dc, t + 1), step(f, t + 1), carry)));
                backward.add(bind(Ops.add(dcT, carry, dcT)));
            }
            INDArray kT = step(k, t);
            backward.add(bind(Ops.multiply(kT.get(all(), interval(0, 3), all()), dcT.reshape(batch, 1, h),
                    dzT.get(all(), interval(0, 3), all()))));
            backward.add(bind(Ops.multiply(block(kT, 3), dT, block(dzT, 3))));
            if (t > 0) {
                backward.add(bind(Ops.mmul(dzT.reshape(batch, 4 * h), p.wh(), step(d, t - 1), false, true, 1, 1)));
            }
        }
        INDArray dz2 = dz.reshape(rows, 4 * h);
        weightGradients(g, a, dz2, dz2);
        backward.add(bind(Ops.mmul(dz2, p.wx(), dIn, false, true, 1, 0)));
    }

    /** out = x(1-x) ⊙ times, for a sigmoid's output x. */
    private void derivativeTimes(INDArray x, INDArray times, INDArray temp, INDArray out) {
        backward.add(bind(Ops.multiply(x, x, temp)));
        backward.add(bind(Ops.subtract(x, temp, temp)));
        backward.add(bind(Ops.multiply(temp, times, out)));
    }

    /** dWx = inᵀ · dZx, dWh = hprevᵀ · dZh, db = column sums of dZx. */
    private void weightGradients(CharLmModel.Layer g, LayerArrays a, INDArray dzx, INDArray dzh) {
        backward.add(bind(Ops.mmul(a.in(), dzx, g.wx(), true, false, 1, 0)));
        backward.add(bind(Ops.mmul(a.hprev(), dzh, g.wh(), true, false, 1, 0)));
        backward.add(bind(Ops.mmul(ones, dzx, g.bRow(), false, false, 1, 0)));
    }

    /**
     * Sets the batch: {@code steps × batch} input symbols and the symbols that follow them,
     * time-major.
     */
    void setBatch(int[] inputSymbols, int[] targetSymbolsIn) {
        if (inputSymbols.length != rows || targetSymbolsIn.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " symbols");
        }
        inputs.data().setData(inputSymbols);
        targets.data().setData(targetSymbolsIn);
        System.arraycopy(targetSymbolsIn, 0, targetSymbols, 0, rows);
        if (scoredRows != null) {
            scoredRows = null;
            rowScale.assign(1);
        }
    }

    /**
     * Sets a batch of which only the {@code scored} rows count: the loss, its gradient and the accuracy
     * are means over them alone (the recall steps of {@link RecallTask}).
     */
    void setBatch(int[] inputSymbols, int[] targetSymbolsIn, boolean[] scored) {
        if (scored.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " scored flags");
        }
        int count = 0;
        for (boolean s : scored) {
            count += s ? 1 : 0;
        }
        if (count == 0) {
            throw new IllegalArgumentException("no row is scored");
        }
        setBatch(inputSymbols, targetSymbolsIn);
        scoredRows = scored.clone();
        float[] scale = new float[rows];
        for (int r = 0; r < rows; r++) {
            scale[r] = scored[r] ? (float) rows / count : 0f;
        }
        rowScale.data().setData(scale);
    }

    /** Forward and backward; leaves dLoss/dParams (of the mean loss) in {@link #gradient()}. */
    Step computeGradient() {
        forward.forEach(BoundOp::run);
        backward.forEach(BoundOp::run);
        return metrics();
    }

    /** Forward only. */
    Step evaluate() {
        forward.forEach(BoundOp::run);
        return metrics();
    }

    INDArray gradient() {
        return gradient;
    }

    /** After a forward pass: the most likely next symbol per row. */
    int[] predictions() {
        double[] out = logits.data().asDouble();
        int n = model.vocabulary.size();
        int[] best = new int[rows];
        for (int row = 0; row < rows; row++) {
            int base = row * n;
            for (int k = 1; k < n; k++) {
                if (out[base + k] > out[base + best[row]]) {
                    best[row] = k;
                }
            }
        }
        return best;
    }

    /** The distances {@link #hiddenGradientNorms()} reports, as given. */
    int[] distances() {
        return distances.clone();
    }

    /** After {@link #computeGradient()}: ‖dLoss/dh_{T-1-k}‖ (Frobenius, over the batch) per distance k. */
    double[] hiddenGradientNorms() {
        double[] norms = new double[distances.length];
        for (int i = 0; i < norms.length; i++) {
            norms[i] = hiddenGradients[i].norm2Number().doubleValue();
        }
        return norms;
    }

    /** After {@link #computeGradient()}: dLoss/dh_{T-1-k} of the top layer, [batch, hidden], for the i-th distance. */
    INDArray hiddenGradient(int i) {
        return hiddenGradients[i];
    }

    CharLmModel model() {
        return model;
    }

    int steps() {
        return steps;
    }

    int batch() {
        return batch;
    }

    private Step metrics() {
        double[] out = logits.data().asDouble();
        int n = model.vocabulary.size();
        boolean mse = "mse".equals(model.loss);
        double total = 0;
        int correct = 0;
        int counted = 0;
        for (int row = 0; row < rows; row++) {
            if (scoredRows != null && !scoredRows[row]) {
                continue;
            }
            counted++;
            int base = row * n;
            int target = targetSymbols[row];
            int best = 0;
            double max = out[base];
            for (int k = 1; k < n; k++) {
                if (out[base + k] > max) {
                    max = out[base + k];
                    best = k;
                }
            }
            if (best == target) {
                correct++;
            }
            if (mse) {
                double squares = 0;
                for (int k = 0; k < n; k++) {
                    double e = out[base + k] - (k == target ? 1 : 0);
                    squares += e * e;
                }
                total += squares / n;
            } else {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += Math.exp(out[base + k] - max);
                }
                total += max + Math.log(sum) - out[base + target];
            }
        }
        return new Step(total / counted, (double) correct / counted);
    }

    private BoundOp bind(DynamicCustomOp op) {
        int bound = forward.size() + backward.size(); // bindGruStep binds some itself
        if (bound >= checkedOps) {
            OffHeap.reserve(OPS_PER_CHECK * BYTES_PER_OP, "the job's ops");
            checkedOps = bound + OPS_PER_CHECK;
        }
        return new BoundOp(op);
    }

    private INDArray array(long... shape) {
        long elements = 1;
        for (long n : shape) {
            elements *= n;
        }
        OffHeap.reserve(elements * type.width(), "the job's training arrays");
        return own(Nd4j.zeros(type, shape));
    }

    private INDArray own(INDArray array) {
        owned.add(array);
        return array;
    }

    /** Rows [from, to) of a 2-d array, or blocks [from, to) of the first dimension of a 3-d one. */
    private static INDArray rows(INDArray array, long from, long to) {
        INDArrayIndex[] index = new INDArrayIndex[array.rank()];
        index[0] = interval(from, to);
        for (int i = 1; i < index.length; i++) {
            index[i] = all();
        }
        return array.get(index);
    }

    /** Time step t: rows [t·B, (t+1)·B). */
    private INDArray step(INDArray array, int t) {
        return rows(array, (long) t * batch, (long) (t + 1) * batch);
    }

    private static INDArray cols(INDArray array, long from, long to) {
        return array.get(all(), interval(from, to));
    }

    /** Gate block j of an [N, 4, H] array, as [N, H]. */
    private static INDArray block(INDArray array, int j) {
        return array.get(all(), NDArrayIndex.point(j), all());
    }

    /** A [T·B, w] array as [T, B, w], the layout of the fused ops. */
    private INDArray sequence(INDArray array) {
        return array.reshape(steps, batch, array.size(1));
    }

    private static INDArrayIndex interval(long from, long to) {
        return NDArrayIndex.interval(from, to);
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }

    @Override
    public void close() {
        forward.forEach(BoundOp::close);
        backward.forEach(BoundOp::close);
        for (INDArray array : owned) {
            if (array.closeable()) {
                array.close();
            }
        }
    }
}
