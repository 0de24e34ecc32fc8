package dev.evalfleet.contracts;

import java.time.Instant;
import java.util.UUID;

/** Broadcast when a job is cancelled: workers drop its tasks instead of working on them. */
public record JobCancelled(UUID jobId, Instant cancelledAt) {}
