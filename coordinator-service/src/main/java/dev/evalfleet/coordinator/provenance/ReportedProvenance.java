package dev.evalfleet.coordinator.provenance;

import java.time.Instant;

/**
 * One distinct provenance the workers reported for a job's tasks (see {@code RunProvenance}).
 *
 * @param taskCount task results reported with it
 * @param firstSeenAt when the coordinator recorded the first of them
 * @param lastSeenAt when it recorded the last
 */
public record ReportedProvenance(
        String endpoint,
        String provider,
        String baseUrl,
        String model,
        String modelDigest,
        String modelDetails,
        String modelServerVersion,
        String scoringSandbox,
        String scoringPython,
        String workerVersion,
        String workerCommit,
        int taskCount,
        Instant firstSeenAt,
        Instant lastSeenAt) {}
