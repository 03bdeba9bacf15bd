package dev.trainyard.client;

/** A request the server refused, or a server that could not be reached after retrying. */
public class TrainyardException extends RuntimeException {

    private final int status;

    public TrainyardException(String message) {
        this(message, 0);
    }

    public TrainyardException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    TrainyardException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The server's answer, or 0 when it could not be reached. */
    public int status() {
        return status;
    }

    /** A 4xx other than 429: sending the same again would be refused again. */
    boolean refused() {
        return status >= 400 && status < 500 && status != 429;
    }
}
