package dev.trainyard.shared.web;

/** The request clashes with the current state (duplicate, illegal transition): a 409 problem. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
