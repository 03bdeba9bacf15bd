package dev.trainyard.sweeps;

import java.util.List;

/**
 * The memory-horizon experiment's defaults: what {@code recall:N} runs of a sweep train with when its
 * base leaves them out, and what the launch page's launcher starts from. Chosen so that the rnn / gru /
 * lstm ordering shows within 10 minutes on 2 cores (measured: docs/EXPERIMENTS.md).
 */
public final class Horizon {

    public static final List<Integer> LENGTHS = List.of(4, 8, 16, 32);
    /** Optimizer steps per run, each on a fresh batch. */
    public static final int STEPS = 1000;
    public static final int HIDDEN = 64;
    public static final int BATCH_SIZE = 32;

    private Horizon() {
    }
}
