package dev.trainyard.training;

import java.util.Map;

/**
 * One finished optimizer step, as the trainer reports it. The code says "epoch" for what the job spec,
 * the API and the dashboard call a step ({@link JobSpec#steps()}); the stored metric keys
 * ({@code epoch_ms}) keep the old word so that existing runs' charts stay continuous.
 *
 * @param epoch       the step, 1-based
 * @param epochs      the steps the job asked for
 * @param loss        mean loss per scored time step, comparable with a PyTorch script's
 * @param accuracy    next-symbol accuracy on the scored steps, teacher-forced, 0..1
 * @param epochMillis wall time of this training step
 * @param extra       further metrics of this step by key, on some steps only: {@code test_accuracy}
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
