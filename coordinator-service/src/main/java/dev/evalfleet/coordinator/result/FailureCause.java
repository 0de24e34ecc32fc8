package dev.evalfleet.coordinator.result;

import java.util.List;

/**
 * The samples of a job that did not pass, grouped by why: {@code WRONG_ANSWER} (a test failed or the
 * program raised), {@code TIMED_OUT}, {@code ERROR} (the program could not be judged),
 * {@code NO_CODE} (no code could be extracted from the answer) and {@code TASK_FAILED} (a task that
 * ended without samples; counted once per task).
 *
 * @param samples rows of this cause over the whole job
 * @param problems the problems with such rows, most first
 */
public record FailureCause(String cause, long samples, List<ProblemCount> problems) {

    /** A problem and how many of its rows have the cause. */
    public record ProblemCount(String problem, long samples) {}
}
