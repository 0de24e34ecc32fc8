package dev.evalfleet.coordinator.access;

import jakarta.validation.constraints.Min;

/** The quotas a new key is given where it should not have the coordinator's defaults; each may be omitted. */
record KeyQuotas(
        @Min(0) Integer runningJobs,
        @Min(0) Long queuedRequests,
        @Min(0) Long uploadBytes,
        @Min(0) Integer datasets,
        @Min(1) Integer requestsPerMinute) {}
