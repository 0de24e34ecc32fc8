package dev.evalfleet.coordinator.job;

import java.util.EnumSet;
import java.util.Set;

/** Where one task (one problem of a job) stands. */
public enum TaskState {
    /** Written with its job; the outbox relay has not published it yet. */
    PENDING,
    /** Published to the broker; a worker has it or will take it. */
    QUEUED,
    /** Its result is stored. */
    COMPLETED,
    /** It could not produce samples; the reason is stored. */
    FAILED,
    /** Its job was cancelled before it finished. */
    CANCELLED;

    static final Set<TaskState> TERMINAL = EnumSet.of(COMPLETED, FAILED, CANCELLED);

    boolean isTerminal() {
        return TERMINAL.contains(this);
    }
}
