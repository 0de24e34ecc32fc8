package dev.evalfleet.coordinator.job;

/** Where a job stands. */
public enum JobStatus {
    /** Created; its tasks are not yet on the broker. */
    QUEUED,
    /** Its tasks are on the broker and being worked on. */
    RUNNING,
    /** Every task is terminal and at least one produced samples. */
    COMPLETED,
    /** Every task is terminal and none produced samples. */
    FAILED,
    /** Stopped on request; partial results are kept. */
    CANCELLED;

    boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
