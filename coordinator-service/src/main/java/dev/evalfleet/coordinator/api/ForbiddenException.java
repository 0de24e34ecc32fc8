package dev.evalfleet.coordinator.api;

/** The caller is known but may not do this, e.g. cancel a job somebody else started. */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String message) {
        super(message);
    }
}
