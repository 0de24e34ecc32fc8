package dev.evalfleet.coordinator.api;

/** An upload larger than the configured limit. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
