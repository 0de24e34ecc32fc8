package dev.evalfleet.worker;

import java.time.Instant;

/**
 * Who this worker process is, as results and heartbeats announce it.
 *
 * @param workerId unique per process
 * @param host host name
 * @param version build version, {@code unknown} without build-info
 * @param startedAt when the process started
 */
public record WorkerIdentity(String workerId, String host, String version, Instant startedAt) {}
