package dev.trainyard.training;

/** Training could not run or finish: an unsupported spec, an ND4J failure, or the model not saved. */
public class TrainingException extends RuntimeException {

    public TrainingException(String message) {
        super(message);
    }

    public TrainingException(String message, Throwable cause) {
        super(message, cause);
    }
}
