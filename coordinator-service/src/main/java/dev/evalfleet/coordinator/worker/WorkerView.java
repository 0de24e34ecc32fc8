package dev.evalfleet.coordinator.worker;

import dev.evalfleet.contracts.EndpointDescriptor;
import java.time.Instant;
import java.util.List;

/** A worker as the API shows it. */
public record WorkerView(
        String workerId,
        String host,
        String version,
        WorkerStatus status,
        List<EndpointDescriptor> endpoints,
        int capacity,
        int tasksInFlight,
        long tasksDone,
        Instant startedAt,
        Instant lastSeenAt) {}
