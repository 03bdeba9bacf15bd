package dev.trainyard.training;

/** A job refused at submission, naming the spec field it is about ({@code network}, {@code label}, {@code dataset}...). */
public class JobRefusal extends TrainingException {

    private final String field;

    public JobRefusal(String field, String message) {
        super(message);
        this.field = field;
    }

    public JobRefusal(String field, String message, Throwable cause) {
        super(message, cause);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
