package dev.evalfleet.contracts;

import java.util.List;
import java.util.UUID;

/**
 * What a worker reports for one task.
 *
 * @param messageId id of this message, for deduplication
 * @param taskId the task the result belongs to
 * @param jobId the task's job
 * @param workerId the worker that did the work
 * @param outcome whether the task completed or failed as a whole
 * @param failureReason why it failed; {@code null} when completed
 * @param samples the samples, in order of their index
 */
public record TaskResult(
        UUID messageId,
        UUID taskId,
        UUID jobId,
        String workerId,
        Outcome outcome,
        String failureReason,
        List<SampleResult> samples) {

    public TaskResult {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    /** Whether the task produced its samples. */
    public enum Outcome {
        COMPLETED,
        FAILED
    }
}
