package dev.evalfleet.coordinator.api;

/** A resource the request names does not exist. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }

    public static NotFoundException dataset(Object id) {
        return new NotFoundException("No dataset with id " + id);
    }

    public static NotFoundException job(Object id) {
        return new NotFoundException("No job with id " + id);
    }
}
