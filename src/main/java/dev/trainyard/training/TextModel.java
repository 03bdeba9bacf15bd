package dev.trainyard.training;

/** A trained model loaded for generation. */
interface TextModel {

    /**
     * @param prime   text fed first and returned as the start of the result; null or empty for none
     * @param length  the most characters to return, prime included; null for the model's default
     * @throws IllegalArgumentException for a prime outside the vocabulary or a bad length
     */
    String generate(String prime, Integer length, Chooser.Factory choosers);

    /** The length to generate: {@code length}, or the default (at least the prime) when null. */
    static int limit(Integer length, int defaultLength, int primeLength) {
        int limit = length == null ? Math.max(defaultLength, primeLength) : length;
        if (limit < primeLength || limit > Generator.MAX_LENGTH) {
            throw new IllegalArgumentException("length must be between the prime's length (" + primeLength + ") and "
                    + Generator.MAX_LENGTH + ", was " + length);
        }
        return limit;
    }
}
