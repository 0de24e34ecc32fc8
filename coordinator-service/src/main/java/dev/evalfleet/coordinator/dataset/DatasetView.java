package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.ProblemFormat;
import java.time.Instant;
import java.util.UUID;

/** A dataset as the API shows it. */
public record DatasetView(UUID id, String name, ProblemFormat format, int problemCount, Instant createdAt) {}
