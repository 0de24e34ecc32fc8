package dev.evalfleet.coordinator.result;

import java.time.Instant;
import java.util.UUID;

/**
 * What the read model knows of a job itself.
 *
 * @param strategy the stored strategy (JSON), {@code null} for independent samples
 * @param plusTests whether the dataset has EvalPlus plus inputs, judged apart from the base ones
 */
public record JobHeader(
        UUID id,
        UUID datasetId,
        String datasetName,
        boolean plusTests,
        String endpoint,
        String model,
        int samplesPerProblem,
        String strategy,
        String status,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {}
