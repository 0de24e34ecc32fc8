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
 * @param timing when and how the worker worked on the task; {@code null} from workers before it
 * @param provenance what ran the task; {@code null} from workers before it
 */
public record TaskResult(
        UUID messageId,
        UUID taskId,
        UUID jobId,
        String workerId,
        Outcome outcome,
        String failureReason,
        List<SampleResult> samples,
        TaskTiming timing,
        RunProvenance provenance) {

    public TaskResult {
        samples = samples == null ? List.of() : List.copyOf(samples);
    }

    /** A result that says nothing about its timing and provenance. */
    public TaskResult(
            UUID messageId,
            UUID taskId,
            UUID jobId,
            String workerId,
            Outcome outcome,
            String failureReason,
            List<SampleResult> samples) {
        this(messageId, taskId, jobId, workerId, outcome, failureReason, samples, null, null);
    }

    /** Whether the task produced its samples. */
    public enum Outcome {
        COMPLETED,
        FAILED
    }
}
