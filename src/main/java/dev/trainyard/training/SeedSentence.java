package dev.trainyard.training;

/**
 * The seed tutorial's data: one sentence, one-hot over a 35-symbol alphabet whose last two symbols
 * are the start and end markers.
 */
final class SeedSentence {

    static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz ?!.,:;01";
    static final String TEXT = "hello pytorch. how long can a rnn cell remember?";
    static final int SYMBOLS = ALPHABET.length();
    static final int START = SYMBOLS - 2;
    static final int END = SYMBOLS - 1;

    private SeedSentence() {
    }

    /** Start marker, the sentence, end marker: row t is the input whose target is row t + 1. */
    static int[] symbols() {
        int[] rows = new int[TEXT.length() + 2];
        rows[0] = START;
        for (int i = 0; i < TEXT.length(); i++) {
            rows[i + 1] = ALPHABET.indexOf(TEXT.charAt(i));
        }
        rows[rows.length - 1] = END;
        return rows;
    }

    /** Index of a text character; the markers are not text, so a prime cannot contain them. */
    static int textSymbol(char c) {
        int index = ALPHABET.indexOf(c);
        return index < 0 || index >= START ? -1 : index;
    }
}
