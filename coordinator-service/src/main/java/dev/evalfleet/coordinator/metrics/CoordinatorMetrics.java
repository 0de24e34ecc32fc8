package dev.evalfleet.coordinator.metrics;

import dev.evalfleet.coordinator.job.JobCensus;
import dev.evalfleet.coordinator.outbox.Outbox;
import dev.evalfleet.coordinator.worker.WorkerRegistry;
import dev.evalfleet.coordinator.worker.WorkerStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * What the health dashboard shows of the whole fleet: jobs by status, tasks by state, workers by
 * status and unpublished outbox messages. Counted from PostgreSQL every few seconds, so every
 * coordinator instance reports the same numbers.
 */
@Component
class CoordinatorMetrics {

    private static final List<String> JOB_STATUSES = List.of("QUEUED", "RUNNING", "COMPLETED", "FAILED", "CANCELLED");
    private static final List<String> TASK_STATES = List.of("PENDING", "QUEUED", "COMPLETED", "FAILED", "CANCELLED");

    private final JobCensus census;
    private final Outbox outbox;
    private final WorkerRegistry workers;
    private final MultiGauge jobs;
    private final MultiGauge tasks;
    private final MultiGauge workerStatuses;
    private final MultiGauge capacity;
    private final AtomicLong outboxPending = new AtomicLong();

    CoordinatorMetrics(JobCensus census, Outbox outbox, WorkerRegistry workers, MeterRegistry registry) {
        this.census = census;
        this.outbox = outbox;
        this.workers = workers;
        this.jobs = MultiGauge.builder("evalfleet.coordinator.jobs")
                .description("Jobs by status")
                .register(registry);
        this.tasks = MultiGauge.builder("evalfleet.coordinator.tasks")
                .description("Tasks by state")
                .register(registry);
        this.workerStatuses = MultiGauge.builder("evalfleet.coordinator.workers")
                .description("Workers by heartbeat status")
                .register(registry);
        this.capacity = MultiGauge.builder("evalfleet.coordinator.endpoint.capacity")
                .description("Requests an endpoint's server serves at once: configured, and effective after pushback")
                .register(registry);
        Gauge.builder("evalfleet.coordinator.outbox.pending", outboxPending, AtomicLong::get)
                .description("Outbox messages not yet confirmed by the broker")
                .register(registry);
    }

    @Scheduled(fixedDelayString = "${evalfleet.coordinator.metrics-interval:5s}")
    void refresh() {
        jobs.register(rows("status", JOB_STATUSES, census.jobsByStatus()), true);
        tasks.register(rows("state", TASK_STATES, census.tasksByState()), true);
        Map<String, Long> byStatus = workers.workers().stream()
                .collect(Collectors.groupingBy(worker -> worker.status().name(), Collectors.counting()));
        List<String> statuses =
                Arrays.stream(WorkerStatus.values()).map(Enum::name).toList();
        workerStatuses.register(rows("status", statuses, byStatus), true);
        capacity.register(
                workers.endpoints().stream()
                        .filter(endpoint -> endpoint.capacity() > 0)
                        .<MultiGauge.Row<?>>flatMap(endpoint -> Stream.of(
                                MultiGauge.Row.of(
                                        Tags.of("endpoint", endpoint.name(), "kind", "configured"),
                                        endpoint.capacity()),
                                MultiGauge.Row.of(
                                        Tags.of("endpoint", endpoint.name(), "kind", "effective"),
                                        endpoint.effectiveCapacity())))
                        .toList(),
                true);
        outboxPending.set(outbox.unpublished());
    }

    private static List<MultiGauge.Row<?>> rows(String tag, List<String> values, Map<String, Long> counts) {
        return values.stream()
                .<MultiGauge.Row<?>>map(value -> MultiGauge.Row.of(Tags.of(tag, value), counts.getOrDefault(value, 0L)))
                .toList();
    }
}
