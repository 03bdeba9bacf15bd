package dev.trainyard.shared.web;

/** A request body over a configured limit: a 413 problem naming the limit. */
public class BodyTooLargeException extends RuntimeException {

    public BodyTooLargeException(String message) {
        super(message);
    }
}
