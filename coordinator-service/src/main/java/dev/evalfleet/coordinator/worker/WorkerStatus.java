package dev.evalfleet.coordinator.worker;

/** Whether a worker is sending heartbeats. */
public enum WorkerStatus {
    /** Heartbeats arrive on time. */
    UP,
    /** Heartbeats have been missed; the worker may be busy, partitioned or dead. */
    STALE,
    /** No heartbeat for long enough to give up on it. */
    GONE
}
