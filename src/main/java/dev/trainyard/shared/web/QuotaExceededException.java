package dev.trainyard.shared.web;

/** A configured per-user allowance is used up: a 429 problem naming the setting. */
public class QuotaExceededException extends RuntimeException {

    private final String limit;

    public QuotaExceededException(String limit, String message) {
        super(message);
        this.limit = limit;
    }

    public String limit() {
        return limit;
    }
}
