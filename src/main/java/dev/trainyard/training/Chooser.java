package dev.trainyard.training;

import java.util.Random;

/** Picks the next symbol from a model's output vector (logits, or raw outputs for MSE models). */
@FunctionalInterface
interface Chooser {

    int choose(float[] output);

    /** Makes the chooser for a model, which knows its own start marker. */
    @FunctionalInterface
    interface Factory {
        /** @param excluded the symbol never to choose (the start marker), or -1 */
        Chooser create(int excluded);
    }

    /** The largest output; {@code excluded} (the start marker, or -1) is never chosen. */
    static Chooser greedy(int excluded) {
        return output -> argmax(output, excluded);
    }

    /** Samples from softmax(output / temperature); {@code temperature} 0 means greedy. */
    static Chooser of(double temperature, int excluded, Random random) {
        if (temperature == 0) {
            return greedy(excluded);
        }
        return output -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < output.length; k++) {
                if (k != excluded) {
                    max = Math.max(max, output[k] / temperature);
                }
            }
            double[] weights = new double[output.length];
            double total = 0;
            for (int k = 0; k < output.length; k++) {
                weights[k] = k == excluded ? 0 : Math.exp(output[k] / temperature - max);
                total += weights[k];
            }
            double r = random.nextDouble() * total;
            for (int k = 0; k < output.length; k++) {
                r -= weights[k];
                if (r < 0 && weights[k] > 0) {
                    return k;
                }
            }
            return argmax(output, excluded); // rounding left r at ~0: the likeliest symbol is a fair answer
        };
    }

    private static int argmax(float[] output, int excluded) {
        int best = -1;
        for (int k = 0; k < output.length; k++) {
            if (k != excluded && (best < 0 || output[k] > output[best])) {
                best = k;
            }
        }
        return best;
    }
}
