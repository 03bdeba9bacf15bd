package dev.trainyard.shared.web;

/** An unknown id or slug: a 404 problem. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, String id) {
        super(what + " '" + id + "' does not exist");
    }

    public NotFoundException(String message) {
        super(message);
    }
}
