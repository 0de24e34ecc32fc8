package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.GenerationSettings;
import java.time.Instant;
import java.util.UUID;

/**
 * A job as it was asked for, for features that describe it (the provenance manifest).
 *
 * @param timeoutSeconds the fixed time limit; {@code null} when the scoring service calibrates it
 * @param strategy the stored strategy (JSON); {@code null} for independent samples
 * @param problemsSelected problems the job has a task for
 */
public record JobDefinition(
        UUID id,
        UUID datasetId,
        String endpoint,
        String model,
        int samplesPerProblem,
        GenerationSettings generation,
        Double timeoutSeconds,
        String strategy,
        JobStatus status,
        int problemsSelected,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {}
