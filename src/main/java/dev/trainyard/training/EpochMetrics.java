package dev.trainyard.training;

import java.util.Map;

/**
 * One finished epoch, as the trainer reports it.
 *
 * @param epoch       1-based
 * @param epochs      the total the job asked for
 * @param loss        mean loss per scored time step, comparable with a PyTorch script's
 * @param accuracy    next-symbol accuracy on the scored steps, teacher-forced, 0..1
 * @param epochMillis wall time of this epoch's training step
 * @param extra       further metrics of this epoch by key, on some epochs only: {@code test_accuracy}
 *                    and {@code grad_norm/k=<k>} (see {@link Trainer})
 */
public record EpochMetrics(int epoch, int epochs, double loss, double accuracy, double epochMillis,
        Map<String, Double> extra) {

    public EpochMetrics {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public EpochMetrics(int epoch, int epochs, double loss, double accuracy, double epochMillis) {
        this(epoch, epochs, loss, accuracy, epochMillis, Map.of());
    }
}
