package dev.evalfleet.coordinator.job;

import java.util.UUID;

/** The answer to a job submission. */
record JobCreated(UUID id) {}
