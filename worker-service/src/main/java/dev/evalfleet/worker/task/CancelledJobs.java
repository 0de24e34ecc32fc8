package dev.evalfleet.worker.task;

import dev.evalfleet.worker.WorkerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The jobs cancelled lately, so tasks of theirs that are still queued are dropped unworked. Bounded
 * in time and size: a job is forgotten after the retention, or sooner once {@code maxJobs} newer
 * ones were cancelled (a forgotten job's tasks are worked on, and the coordinator ignores their
 * results).
 */
@Component
class CancelledJobs {

    private final Duration retention;
    private final int maxJobs;
    private final Clock clock;
    /** Job id to when it was learned, oldest first; one retention for all keeps it in expiry order. */
    private final LinkedHashMap<UUID, Instant> learnedAt = new LinkedHashMap<>();

    @Autowired
    CancelledJobs(WorkerProperties properties) {
        this(properties.cancellation(), Clock.systemUTC());
    }

    CancelledJobs(WorkerProperties.Cancellation cancellation, Clock clock) {
        this.retention = cancellation.retention();
        this.maxJobs = cancellation.maxJobs();
        this.clock = clock;
    }

    synchronized void add(UUID jobId) {
        forgetExpired();
        learnedAt.remove(jobId);
        learnedAt.put(jobId, clock.instant());
        while (learnedAt.size() > maxJobs) {
            learnedAt.pollFirstEntry();
        }
    }

    synchronized boolean contains(UUID jobId) {
        forgetExpired();
        return learnedAt.containsKey(jobId);
    }

    synchronized int size() {
        forgetExpired();
        return learnedAt.size();
    }

    private void forgetExpired() {
        Instant oldestKept = clock.instant().minus(retention);
        Iterator<Map.Entry<UUID, Instant>> oldestFirst = learnedAt.entrySet().iterator();
        while (oldestFirst.hasNext() && oldestFirst.next().getValue().isBefore(oldestKept)) {
            oldestFirst.remove();
        }
    }
}
