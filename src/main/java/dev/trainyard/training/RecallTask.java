package dev.trainyard.training;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Delayed recall ({@code recall:N}), the copy-memory benchmark of Hochreiter &amp; Schmidhuber (1997)
 * and Arjovsky et al. (2016) cut down to a few symbols: {@link #RECALLED} random symbols, blanks, a
 * recall marker at step N, and then the symbols again. The target at each recall step is the input
 * exactly N steps back, and nothing in between says what it was, so a model must carry it N steps.
 *
 * <pre>
 *   step    0 1 2 3 … N-1 N N+1 N+2
 *   input   c a h - …  -  ? -   -
 *   target  (not scored)  c a   h
 * </pre>
 *
 * Every batch is drawn fresh from the job's seeded stream: no sequence repeats, so nothing can be
 * memorised, and the accuracy of a batch the model has not yet trained on is a test accuracy. Only
 * the recall steps are scored and trained on; a model that knows which symbols exist but not which
 * came first scores {@link #chance()}.
 */
final class RecallTask {

    static final String SYMBOLS = "abcdefgh";
    static final char BLANK = '-';
    static final char MARKER = '?';
    /** Symbols per sequence. Small, so the memory asked for stays a few bits and the delay is what varies. */
    static final int RECALLED = 3;
    static final int MIN_DELAY = RECALLED;
    static final int MAX_DELAY = 4096;
    /** Every character a sequence can hold: the model's vocabulary. */
    static final String ALPHABET = SYMBOLS + BLANK + MARKER;

    private final int delay;
    private final Vocabulary vocabulary;
    private final int[] symbols;
    private final int blank;
    private final int marker;

    /** A batch, time-major (row t·B + b is step t of sequence b); {@code scored} marks the recall steps. */
    record Batch(int[] inputs, int[] targets, boolean[] scored) {
    }

    RecallTask(int delay) {
        if (delay < MIN_DELAY || delay > MAX_DELAY) {
            throw new TrainingException(JobSpec.RECALL + "<delay> takes a delay from " + MIN_DELAY + " to " + MAX_DELAY
                    + ", was " + delay);
        }
        this.delay = delay;
        this.vocabulary = Vocabulary.of(ALPHABET, false);
        this.symbols = vocabulary.encode(SYMBOLS);
        this.blank = vocabulary.symbol(BLANK);
        this.marker = vocabulary.symbol(MARKER);
    }

    /**
     * @throws TrainingException when {@code dataset} is {@code recall:} with a delay out of range
     * @return the task, or null when the dataset is not {@code recall:<N>}
     */
    static RecallTask of(String dataset) {
        if (dataset == null || !dataset.startsWith(JobSpec.RECALL)) {
            return null;
        }
        String digits = dataset.substring(JobSpec.RECALL.length());
        return new RecallTask(digits.matches("[0-9]{1,9}") ? Integer.parseInt(digits) : -1);
    }

    /** What guessing among the symbols scores on the recall steps. */
    static double chance() {
        return 1.0 / SYMBOLS.length();
    }

    int delay() {
        return delay;
    }

    /** Time steps per sequence: the delay, then the recall steps. */
    int steps() {
        return delay + RECALLED;
    }

    Vocabulary vocabulary() {
        return vocabulary;
    }

    /** {@code batch} new sequences from {@code random}. */
    Batch sample(SplittableRandom random, int batch) {
        int steps = steps();
        int[] inputs = new int[steps * batch];
        int[] targets = new int[steps * batch];
        boolean[] scored = new boolean[steps * batch];
        Arrays.fill(inputs, blank);
        Arrays.fill(targets, blank);
        for (int b = 0; b < batch; b++) {
            inputs[delay * batch + b] = marker;
            for (int j = 0; j < RECALLED; j++) {
                int symbol = symbols[random.nextInt(symbols.length)];
                inputs[j * batch + b] = symbol;
                int at = (delay + j) * batch + b;
                targets[at] = symbol;
                scored[at] = true;
            }
        }
        return new Batch(inputs, targets, scored);
    }

    /** One sequence of a batch as text, e.g. {@code "cah-----?--"}. */
    String render(int[] timeMajor, int batch, int b) {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < steps(); t++) {
            text.appendCodePoint(vocabulary.codePoint(timeMajor[t * batch + b]));
        }
        return text.toString();
    }
}
