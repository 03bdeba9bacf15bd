package dev.trainyard.client;

/** A request the server refused, or a server that could not be reached after retrying. */
public class TrainyardException extends RuntimeException {

    public TrainyardException(String message) {
        super(message);
    }

    public TrainyardException(String message, Throwable cause) {
        super(message, cause);
    }
}
