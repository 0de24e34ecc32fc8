package dev.evalfleet.worker.model;

/** A model endpoint could not answer: unreachable, timed out, or answered with an error. */
public class ModelEndpointException extends RuntimeException {

    ModelEndpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
