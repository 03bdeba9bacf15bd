package dev.trainyard.shared.web;

/** The server cannot take this request now but may soon: a 503 problem. */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message) {
        super(message);
    }
}
