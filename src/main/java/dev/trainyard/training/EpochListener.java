package dev.trainyard.training;

/** Receives each finished epoch's metrics, on the training thread. */
@FunctionalInterface
public interface EpochListener {

    void onEpoch(EpochMetrics metrics);
}
