package dev.evalfleet.worker.task;

/** A task in flight was interrupted without a result: its job was cancelled, or the worker is stopping. */
class TaskDroppedException extends Exception {

    private final TasksInFlight.Interruption interruption;

    TaskDroppedException(TasksInFlight.Interruption interruption) {
        super("task dropped: " + interruption);
        this.interruption = interruption;
    }

    boolean jobCancelled() {
        return interruption == TasksInFlight.Interruption.JOB_CANCELLED;
    }
}
