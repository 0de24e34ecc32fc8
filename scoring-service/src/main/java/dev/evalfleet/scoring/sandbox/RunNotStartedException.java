package dev.evalfleet.scoring.sandbox;

/** A run that could not start; the message is the feedback the caller gets. */
class RunNotStartedException extends Exception {

    RunNotStartedException(String feedback) {
        super(feedback);
    }
}
