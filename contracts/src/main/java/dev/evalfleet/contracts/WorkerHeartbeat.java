package dev.evalfleet.contracts;

import java.time.Instant;
import java.util.List;

/**
 * A worker's periodic announcement of itself.
 *
 * @param workerId unique per worker process
 * @param host host name
 * @param version worker build version
 * @param endpoints the model endpoints it serves
 * @param capacity tasks it runs at once
 * @param tasksInFlight tasks it holds now
 * @param tasksDone tasks finished since it started
 * @param startedAt when it started
 * @param sentAt when this heartbeat was sent
 */
public record WorkerHeartbeat(
        String workerId,
        String host,
        String version,
        List<EndpointDescriptor> endpoints,
        int capacity,
        int tasksInFlight,
        long tasksDone,
        Instant startedAt,
        Instant sentAt) {

    public WorkerHeartbeat {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }
}
