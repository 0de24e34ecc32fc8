package dev.evalfleet.simulator;

/** A request the stand-in cannot answer because of what the client sent; becomes HTTP 400. */
final class BadRequestException extends RuntimeException {

    BadRequestException(String message) {
        super(message);
    }
}
