package dev.evalfleet.contracts;

/** Outcome of running one program against its tests. */
public enum Verdict {
    /** The program ran, every test ran, and none failed. */
    PASSED,
    /** A test failed or the program raised. */
    FAILED,
    /** The wall-clock deadline was reached before the tests finished. */
    TIMED_OUT,
    /** The program could not be judged: it exited early, or the harness broke. */
    ERROR
}
