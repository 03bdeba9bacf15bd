package dev.trainyard.shared.web;

/** Input that passed parsing but makes no sense, naming the offending field: a 400 problem. */
public class BadRequestException extends RuntimeException {

    private final String field;

    public BadRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
