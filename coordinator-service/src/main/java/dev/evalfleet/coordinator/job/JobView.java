package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.GenerationSettings;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job as the API shows it.
 *
 * @param passAtK pass@k by k, for every k among 1, 2, 5, 10, 20, 50, 100 that every problem has
 *     enough samples for
 */
record JobView(
        UUID id,
        UUID datasetId,
        String endpoint,
        String model,
        int samplesPerProblem,
        GenerationSettings generation,
        double timeoutSeconds,
        JobStatus status,
        TaskCounts tasks,
        SampleTotals samples,
        Map<String, Double> passAtK,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    /** Tasks of the job by state. */
    record TaskCounts(long total, long pending, long queued, long completed, long failed, long cancelled) {}

    /** Samples stored so far and how many passed. */
    record SampleTotals(long stored, long passed) {}
}
