package dev.evalfleet.scoring.execution;

import dev.evalfleet.contracts.TimeLimit;

/** Input tests whose reference solution could not give the expected outputs; the message says why. */
class ReferenceUnavailableException extends RuntimeException {

    private final transient TimeLimit limit;

    ReferenceUnavailableException(String problem, TimeLimit limit) {
        super(problem);
        this.limit = limit;
    }

    TimeLimit limit() {
        return limit;
    }
}
