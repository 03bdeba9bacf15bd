package dev.trainyard.training;

/** Receives each finished epoch's metrics, and now and then a generated sample, on the training thread. */
@FunctionalInterface
public interface EpochListener {

    void onEpoch(EpochMetrics metrics);

    /**
     * A greedy sample after {@code epoch}, every {@code sampleEvery} epochs and after the last.
     *
     * @param exact for datasets with one target text (seed-sentence, memorize:N), whether the sample
     *              reproduces it exactly; null otherwise
     */
    default void onSample(int epoch, String text, Boolean exact) {
    }
}
