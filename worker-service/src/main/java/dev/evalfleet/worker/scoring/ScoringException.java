package dev.evalfleet.worker.scoring;

/** The scoring service could not judge a program: unreachable, timed out, or answered with an error. */
public class ScoringException extends RuntimeException {

    ScoringException(String message, Throwable cause) {
        super(message, cause);
    }
}
