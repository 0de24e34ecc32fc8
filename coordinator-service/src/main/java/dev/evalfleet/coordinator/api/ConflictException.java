package dev.evalfleet.coordinator.api;

/** A request that the resource's current state does not allow, e.g. cancelling a finished job. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
