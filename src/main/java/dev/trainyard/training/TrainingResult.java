package dev.trainyard.training;

/**
 * How a training job ended.
 *
 * @param epochsCompleted epochs fully trained
 * @param stopped         true when the job was asked to stop before its last epoch (no model saved)
 */
public record TrainingResult(int epochsCompleted, boolean stopped) {
}
