package dev.trainyard.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A character language model: embedding → 1 to 4 recurrent layers (RNN, GRU or LSTM) → dense
 * output over the vocabulary. All parameters live in one flat vector, so the optimizer updates them
 * with a single op; the matrices are views into it, laid out for row-vector inputs ({@code x · W}).
 */
final class CharLmModel implements TextModel {

    /** Characters a sample or a prime-less generation produces on a corpus model. */
    static final int CORPUS_SAMPLE_LENGTH = 200;

    final CellType cell;
    final Vocabulary vocabulary;
    final int embedding;
    final int hidden;
    final int layers;
    /** {@code xent} (softmax cross-entropy) or {@code mse} (raw outputs against one-hot targets). */
    final String loss;
    /** Where generation starts without a prime on a model without markers: the corpus's first symbol. */
    final int firstSymbol;
    /** What generation returns by default: the target's length, or {@link #CORPUS_SAMPLE_LENGTH}. */
    final int defaultLength;
    final INDArray params;
    final Views views;

    /** One recurrent layer's parameters. {@code w} is {@code [wx; wh]}, [in + H, gates·H]. */
    record Layer(int in, INDArray wx, INDArray wh, INDArray w, INDArray b, INDArray bRow) {
    }

    /** The parameter views of one flat vector (parameters, or gradients with the same layout). */
    record Views(INDArray embedding, List<Layer> layers, INDArray wo, INDArray bo) {

        static Views of(INDArray flat, CellType cell, int symbols, int embedding, int hidden, int layers) {
            INDArray vector = flat.reshape(flat.length()); // a view: flat is contiguous
            long[] at = {0};
            INDArray table = matrix(vector, at, symbols, embedding);
            List<Layer> list = new ArrayList<>();
            int width = cell.gates * hidden;
            for (int l = 0; l < layers; l++) {
                int in = l == 0 ? embedding : hidden;
                long start = at[0];
                INDArray wx = matrix(vector, at, in, width);
                INDArray wh = matrix(vector, at, hidden, width);
                INDArray w = vector.get(NDArrayIndex.interval(start, at[0])).reshape('c', in + hidden, width);
                INDArray bRow = matrix(vector, at, 1, width);
                list.add(new Layer(in, wx, wh, w, bRow.reshape(width), bRow));
            }
            return new Views(table, List.copyOf(list), matrix(vector, at, hidden, symbols), matrix(vector, at, 1, symbols));
        }

        private static INDArray matrix(INDArray vector, long[] at, int rows, int cols) {
            long start = at[0];
            at[0] += (long) rows * cols;
            return vector.get(NDArrayIndex.interval(start, at[0])).reshape('c', rows, cols);
        }
    }

    CharLmModel(CellType cell, Vocabulary vocabulary, int embedding, int hidden, int layers, String loss,
            int firstSymbol, int defaultLength, INDArray params) {
        long expected = size(cell, vocabulary.size(), embedding, hidden, layers);
        if (params.length() != expected) {
            throw new IllegalArgumentException("expected " + expected + " parameters, got " + params.length());
        }
        this.cell = cell;
        this.vocabulary = vocabulary;
        this.embedding = embedding;
        this.hidden = hidden;
        this.layers = layers;
        this.loss = loss;
        this.firstSymbol = firstSymbol;
        this.defaultLength = defaultLength;
        this.params = params;
        this.views = Views.of(params, cell, vocabulary.size(), embedding, hidden, layers);
    }

    static long size(CellType cell, int symbols, int embedding, int hidden, int layers) {
        long width = (long) cell.gates * hidden;
        long total = (long) symbols * embedding + (long) hidden * symbols + symbols;
        for (int l = 0; l < layers; l++) {
            total += ((l == 0 ? embedding : hidden) + hidden + 1L) * width;
        }
        return total;
    }

    /**
     * PyTorch's initialisation: the embedding N(0, 1); recurrent weights and biases, and the output
     * layer, U(-1/sqrt(H), 1/sqrt(H)). Drawn in Java so a seed gives the same model everywhere.
     */
    static CharLmModel initialise(CellType cell, Vocabulary vocabulary, int embedding, int hidden, int layers,
            String loss, int firstSymbol, int defaultLength, long seed, DataType type) {
        int symbols = vocabulary.size();
        double[] values = new double[Math.toIntExact(size(cell, symbols, embedding, hidden, layers))];
        SplittableRandom random = new SplittableRandom(seed);
        int table = symbols * embedding;
        double bound = 1 / Math.sqrt(hidden);
        for (int i = 0; i < values.length; i++) {
            values[i] = i < table ? random.nextGaussian() : random.nextDouble(-bound, bound);
        }
        INDArray params = Nd4j.create(values, new long[] {1, values.length}, type);
        return new CharLmModel(cell, vocabulary, embedding, hidden, layers, loss, firstSymbol, defaultLength, params);
    }

    @Override
    public String generate(String prime, Integer length, Chooser.Factory choosers) {
        int[] primed = vocabulary.encodePrime(prime == null ? "" : prime);
        int limit = TextModel.limit(length, defaultLength, primed.length);
        try (CharLmStepper stepper = new CharLmStepper(this)) {
            return generate(stepper, primed, limit, choosers.create(vocabulary.start()));
        }
    }

    /**
     * Feeds the start marker (if the model has markers), then the prime (or, on a corpus model with
     * no prime, its first symbol), then its own choices. Stops at the end marker or after
     * {@code length} characters, prime included.
     */
    String generate(CharLmStepper stepper, int[] prime, int length, Chooser chooser) {
        StringBuilder text = new StringBuilder();
        if (length == 0) {
            return "";
        }
        stepper.reset();
        float[] output = null;
        if (vocabulary.hasMarkers()) {
            output = stepper.step(vocabulary.start());
        }
        int[] feed = prime.length == 0 && !vocabulary.hasMarkers() ? new int[] {firstSymbol} : prime;
        int count = 0;
        for (int symbol : feed) {
            text.appendCodePoint(vocabulary.codePoint(symbol));
            count++;
            output = stepper.step(symbol);
        }
        while (count < length) {
            int next = chooser.choose(output);
            if (next == vocabulary.end() || next == vocabulary.start()) {
                break;
            }
            text.appendCodePoint(vocabulary.codePoint(next));
            if (++count < length) {
                output = stepper.step(next);
            }
        }
        return text.toString();
    }

    /** The fields after the model id in a {@link ModelFile}. */
    void write(DataOutputStream out) throws IOException {
        vocabulary.write(out);
        out.writeInt(embedding);
        out.writeInt(hidden);
        out.writeInt(layers);
        out.writeUTF(loss);
        out.writeInt(firstSymbol);
        out.writeInt(defaultLength);
        Nd4j.write(params, out);
    }

    /** Reads what {@link #write} wrote, after the model id. */
    static CharLmModel read(CellType cell, DataInputStream in) throws IOException {
        Vocabulary vocabulary = Vocabulary.read(in);
        int embedding = in.readInt();
        int hidden = in.readInt();
        int layers = in.readInt();
        String loss = in.readUTF();
        int first = in.readInt();
        int length = in.readInt();
        if (embedding < 1 || hidden < 1 || layers < 1 || layers > 4 || first >= vocabulary.characters()
                || !(loss.equals("xent") || loss.equals("mse"))) {
            throw new IOException("corrupt " + cell.id + " model file");
        }
        INDArray params = Nd4j.read(in);
        try {
            return new CharLmModel(cell, vocabulary, embedding, hidden, layers, loss, first, length, params);
        } catch (IllegalArgumentException e) {
            throw new IOException("corrupt " + cell.id + " model file: " + e.getMessage(), e);
        }
    }
}
