package dev.trainyard.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The seed tutorial's hand-built cell: {@code h = tanh(i2h(x) + h2h(h))}, {@code y = h2o(h)}.
 * All parameters live in one flat vector, so the optimizer updates them with a single op; the
 * matrices are views into it, laid out for row-vector inputs ({@code x · W}).
 */
final class SeedRnnModel implements TextModel {

    final int symbols;
    final int hidden;
    /** The length of the text it was trained to reproduce: what generation returns by default. */
    final int targetLength;
    final INDArray params;
    final Views views;

    /** The parameter matrices of one flat vector (parameters, or gradients with the same layout). */
    record Views(INDArray wi, INDArray wh, INDArray bi, INDArray bh, INDArray wo, INDArray bo) {

        static Views of(INDArray flat, int symbols, int hidden) {
            INDArray vector = flat.reshape(flat.length()); // a view: flat is contiguous
            long[] offset = {0};
            return new Views(
                    slice(vector, offset, symbols, hidden),
                    slice(vector, offset, hidden, hidden),
                    slice(vector, offset, 1, hidden),
                    slice(vector, offset, 1, hidden),
                    slice(vector, offset, hidden, symbols),
                    slice(vector, offset, 1, symbols));
        }

        private static INDArray slice(INDArray vector, long[] offset, int rows, int cols) {
            long start = offset[0];
            offset[0] += (long) rows * cols;
            return vector.get(NDArrayIndex.interval(start, offset[0])).reshape('c', rows, cols);
        }
    }

    SeedRnnModel(int symbols, int hidden, int targetLength, INDArray params) {
        if (params.length() != size(symbols, hidden)) {
            throw new IllegalArgumentException("expected " + size(symbols, hidden) + " parameters, got " + params.length());
        }
        this.symbols = symbols;
        this.hidden = hidden;
        this.targetLength = targetLength;
        this.params = params;
        this.views = Views.of(params, symbols, hidden);
    }

    static long size(int symbols, int hidden) {
        return (long) symbols * hidden + (long) hidden * hidden + 2L * hidden + (long) hidden * symbols + symbols;
    }

    /**
     * PyTorch's {@code nn.Linear} initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and
     * biases alike, drawn in Java so that a seed gives the same model on every machine and thread.
     */
    static SeedRnnModel initialise(int symbols, int hidden, int targetLength, long seed, DataType type) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[Math.toIntExact(size(symbols, hidden))];
        int[] counts = {symbols * hidden, hidden * hidden, hidden, hidden, hidden * symbols, symbols};
        int[] fanIn = {symbols, hidden, symbols, hidden, hidden, hidden};
        int at = 0;
        for (int block = 0; block < counts.length; block++) {
            double bound = 1 / Math.sqrt(fanIn[block]);
            for (int i = 0; i < counts[block]; i++) {
                values[at++] = random.nextDouble(-bound, bound);
            }
        }
        return new SeedRnnModel(symbols, hidden, targetLength, Nd4j.create(values, new long[] {1, values.length}, type));
    }

    /** The fields after the model id in a {@link ModelFile}. */
    void write(DataOutputStream out) throws IOException {
        out.writeUTF(SeedSentence.ALPHABET);
        out.writeInt(hidden);
        out.writeInt(targetLength);
        Nd4j.write(params, out);
    }

    /** Reads what {@link #write} wrote; format 1 files had no target length and were all the sentence. */
    static SeedRnnModel read(DataInputStream in, int format) throws IOException {
        String alphabet = in.readUTF();
        if (!SeedSentence.ALPHABET.equals(alphabet)) {
            throw new IOException("unsupported alphabet in seed-rnn model file");
        }
        int hidden = in.readInt();
        int length = format == ModelFile.FORMAT_SEED_RNN_ONLY ? SeedSentence.TEXT.length() : in.readInt();
        return new SeedRnnModel(alphabet.length(), hidden, length, Nd4j.read(in));
    }

    @Override
    public String generate(String prime, Integer length, Chooser.Factory choosers) {
        String text = prime == null ? "" : prime;
        int[] primed = new int[text.length()];
        for (int i = 0; i < text.length(); i++) {
            primed[i] = SeedSentence.textSymbol(text.charAt(i));
            if (primed[i] < 0) {
                throw new IllegalArgumentException("prime has '" + text.charAt(i) + "' at index " + i
                        + ", which is not in the model's alphabet \"" + SeedSentence.ALPHABET.substring(0, SeedSentence.START)
                        + "\" (lower case letters, space and ?!.,:;)");
            }
        }
        return generate(primed, TextModel.limit(length, targetLength, primed.length), choosers.create(SeedSentence.START));
    }

    /**
     * Runs the cell from the start marker, feeding the prime, then its own choices, each fed back as
     * the one-hot of the chosen symbol (feeding the raw output back is what made the tutorial print
     * garbage). Stops at the end marker or after {@code length} characters, prime included.
     */
    String generate(int[] prime, int length, Chooser chooser) {
        INDArray bias = views.bi.add(views.bh);
        INDArray h = Nd4j.zeros(params.dataType(), 1, hidden);
        INDArray y = null;
        StringBuilder text = new StringBuilder(length);
        int next = SeedSentence.START;
        for (int step = 0; ; step++) {
            // one-hot input times i2h is just that row of the weight matrix
            INDArray pre = views.wi.getRow(next, true).add(bias);
            h = Transforms.tanh(pre.addi(h.mmul(views.wh)), false);
            y = h.mmul(views.wo).addi(views.bo);
            if (step < prime.length) {
                next = prime[step];
                text.append(SeedSentence.ALPHABET.charAt(next));
            } else {
                if (text.length() >= length) {
                    break;
                }
                next = chooser.choose(y.toFloatVector());
                if (next == SeedSentence.END || next == SeedSentence.START) {
                    break;
                }
                text.append(SeedSentence.ALPHABET.charAt(next));
            }
        }
        return text.toString();
    }
}
