package dev.trainyard.training;

/**
 * One finished epoch, as the trainer reports it.
 *
 * @param epoch     1-based
 * @param epochs    the total the job asked for
 * @param loss      mean loss per time step, comparable with a PyTorch script's
 * @param accuracy  next-character accuracy, teacher-forced, 0..1
 * @param epochMillis wall time of this epoch's training step
 */
public record EpochMetrics(int epoch, int epochs, double loss, double accuracy, double epochMillis) {
}
