package dev.trainyard.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * The symbols of a character language model: the dataset's distinct characters (Unicode code
 * points, sorted), then, for datasets with one target text, a start and an end marker.
 */
final class Vocabulary {

    /** Big enough for any alphabet; the output layer grows with it. */
    static final int MAX_CHARACTERS = 10_000;

    private final int[] codePoints;
    private final boolean markers;

    private Vocabulary(int[] codePoints, boolean markers) {
        this.codePoints = codePoints;
        this.markers = markers;
    }

    static Vocabulary of(String text, boolean markers) {
        int[] distinct = text.codePoints().distinct().sorted().toArray();
        if (distinct.length > MAX_CHARACTERS) {
            throw new TrainingException("the dataset has " + distinct.length + " distinct characters; at most "
                    + MAX_CHARACTERS + " are supported");
        }
        return new Vocabulary(distinct, markers);
    }

    /** Symbols in all, markers included. */
    int size() {
        return codePoints.length + (markers ? 2 : 0);
    }

    int characters() {
        return codePoints.length;
    }

    boolean hasMarkers() {
        return markers;
    }

    /** The start marker's symbol, or -1. */
    int start() {
        return markers ? codePoints.length : -1;
    }

    /** The end marker's symbol, or -1. */
    int end() {
        return markers ? codePoints.length + 1 : -1;
    }

    /** The symbol of a character, or -1 when the vocabulary does not have it. */
    int symbol(int codePoint) {
        int index = Arrays.binarySearch(codePoints, codePoint);
        return index < 0 ? -1 : index;
    }

    int codePoint(int symbol) {
        return codePoints[symbol];
    }

    /** The text's symbols; every character must be in the vocabulary. */
    int[] encode(String text) {
        return text.codePoints().map(c -> {
            int symbol = symbol(c);
            if (symbol < 0) {
                throw new IllegalStateException("character U+" + Integer.toHexString(c) + " is not in the vocabulary");
            }
            return symbol;
        }).toArray();
    }

    /**
     * The symbols of a prime for generation.
     *
     * @throws IllegalArgumentException naming the first character the model does not know
     */
    int[] encodePrime(String prime) {
        int[] cps = prime.codePoints().toArray();
        int[] symbols = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            symbols[i] = symbol(cps[i]);
            if (symbols[i] < 0) {
                throw new IllegalArgumentException("prime has '" + new String(Character.toChars(cps[i])) + "' at index "
                        + prime.offsetByCodePoints(0, i) + ", which is not in the model's vocabulary \""
                        + describe() + "\"");
            }
        }
        return symbols;
    }

    private String describe() {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(codePoints.length, 200);
        for (int i = 0; i < shown; i++) {
            int c = codePoints[i];
            if (c == '\n') {
                text.append("\\n");
            } else if (Character.isISOControl(c)) {
                text.append(String.format("\\u%04x", c));
            } else {
                text.appendCodePoint(c);
            }
        }
        return shown < codePoints.length ? text + "…" : text.toString();
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(codePoints.length);
        for (int c : codePoints) {
            out.writeInt(c);
        }
        out.writeBoolean(markers);
    }

    static Vocabulary read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 1 || n > MAX_CHARACTERS) {
            throw new IOException("bad vocabulary size " + n);
        }
        int[] cps = new int[n];
        for (int i = 0; i < n; i++) {
            cps[i] = in.readInt();
            if (!Character.isValidCodePoint(cps[i]) || (i > 0 && cps[i] <= cps[i - 1])) {
                throw new IOException("bad vocabulary");
            }
        }
        return new Vocabulary(cps, in.readBoolean());
    }
}
