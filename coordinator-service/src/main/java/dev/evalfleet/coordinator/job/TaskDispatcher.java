package dev.evalfleet.coordinator.job;

import dev.evalfleet.coordinator.outbox.Outbox;
import dev.evalfleet.coordinator.worker.EndpointView;
import dev.evalfleet.coordinator.worker.WorkerRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands tasks out as their endpoint's capacity frees up. A dispatched task holds one slot per model
 * request it will make at once (its samples per problem) until the workers report the requests done
 * or its result arrives; the dispatcher releases a task's held outbox message only while the slots
 * it needs are free, so the fleet never has more requests in flight to an endpoint than the
 * endpoint's effective capacity. Among the jobs waiting on an endpoint, the highest priority goes
 * first and jobs of equal priority share the slots (the one holding fewest goes next, ties in turn). An endpoint whose capacity is not announced is not
 * paced. Several coordinators may run: each endpoint is dispatched under a PostgreSQL advisory lock.
 */
@Component
class TaskDispatcher {

    private static final Logger log = LoggerFactory.getLogger(TaskDispatcher.class);

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final WorkerRegistry workers;
    private final TransactionTemplate transaction;
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final Executor wakeUps = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("dispatch-wake-up").factory());

    TaskDispatcher(JdbcClient jdbc, Outbox outbox, WorkerRegistry workers, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.workers = workers;
        this.transaction = transaction;
    }

    /** Dispatches once the caller's transaction has committed (at once without one). */
    void wakeUpAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wakeUp();
                }
            });
        } else {
            wakeUp();
        }
    }

    /** Dispatches soon; calls while one is pending coalesce. */
    void wakeUp() {
        if (!wakeUpPending.getAndSet(true)) {
            wakeUps.execute(() -> {
                wakeUpPending.set(false);
                dispatch();
            });
        }
    }

    @Scheduled(fixedDelayString = "${evalfleet.coordinator.dispatch.interval:200ms}")
    void dispatch() {
        try {
            List<String> waiting = jdbc.sql("""
                            select distinct j.endpoint from job j
                            where j.status in ('QUEUED', 'RUNNING') and exists (
                                select 1 from task t
                                where t.job_id = j.id and t.state = 'PENDING' and t.dispatched_at is null)
                            """).query(String.class).list();
            if (waiting.isEmpty()) {
                return;
            }
            Map<String, EndpointView> live =
                    workers.endpoints().stream().collect(Collectors.toMap(EndpointView::name, Function.identity()));
            for (String endpoint : waiting) {
                EndpointView served = live.get(endpoint);
                if (JobService.SAMPLES_ENDPOINT.equals(endpoint)) {
                    // scoring a samples file calls no model: nothing to pace
                    transaction.executeWithoutResult(status -> dispatch(endpoint, 0));
                } else if (served != null) {
                    transaction.executeWithoutResult(status -> dispatch(endpoint, served.effectiveCapacity()));
                }
            }
        } catch (RuntimeException e) {
            log.warn("Dispatch failed, will retry", e);
        }
    }

    /** In one transaction, under the endpoint's lock: releases what fits into the free capacity. */
    private void dispatch(String endpoint, int capacity) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('evalfleet.dispatch:' || :endpoint))")
                .param("endpoint", endpoint)
                .query(rs -> {});
        List<UUID> released = new ArrayList<>();
        if (capacity <= 0) {
            released.addAll(
                    jdbc.sql("""
                            update task t set dispatched_at = now()
                            from job j
                            where j.id = t.job_id and j.endpoint = :endpoint and j.status in ('QUEUED', 'RUNNING')
                              and t.state = 'PENDING' and t.dispatched_at is null
                            returning t.id
                            """).param("endpoint", endpoint).query(UUID.class).list());
        } else {
            int inFlight = inFlight(endpoint);
            while (inFlight < capacity) {
                Next next = next(endpoint).orElse(null);
                if (next == null || (inFlight > 0 && inFlight + next.width() > capacity)) {
                    break;
                }
                jdbc.sql("update task set dispatched_at = now() where id = :task")
                        .param("task", next.taskId())
                        .update();
                jdbc.sql("update job set last_dispatched_at = clock_timestamp() where id = :job")
                        .param("job", next.jobId())
                        .update();
                released.add(next.taskId());
                inFlight += next.width();
            }
        }
        outbox.release(released);
    }

    /** Model requests the endpoint's dispatched, unfinished tasks may still make at once. */
    private int inFlight(String endpoint) {
        return jdbc.sql("""
                        select coalesce(sum(greatest(j.samples_per_problem - t.requests_done, 0)), 0)
                        from task t join job j on j.id = t.job_id
                        where j.endpoint = :endpoint and j.status in ('QUEUED', 'RUNNING')
                          and t.dispatched_at is not null and t.state in ('PENDING', 'QUEUED')
                        """).param("endpoint", endpoint).query(Integer.class).single();
    }

    /**
     * The next task: of the waiting job with the highest priority; among equals, of the one holding
     * the fewest slots now (jobs share the endpoint's slots, not turns: a job of one-sample tasks is not
     * held to one task per four-sample task of another), then the one dispatched to longest ago.
     */
    private Optional<Next> next(String endpoint) {
        return jdbc.sql("""
                        select j.id as job_id, j.samples_per_problem,
                               (select t.id from task t
                                where t.job_id = j.id and t.state = 'PENDING' and t.dispatched_at is null
                                order by t.ordinal limit 1) as task_id,
                               (select coalesce(sum(greatest(j.samples_per_problem - t.requests_done, 0)), 0)
                                from task t
                                where t.job_id = j.id and t.dispatched_at is not null
                                  and t.state in ('PENDING', 'QUEUED')) as holding
                        from job j
                        where j.endpoint = :endpoint and j.status in ('QUEUED', 'RUNNING') and exists (
                            select 1 from task t where t.job_id = j.id and t.state = 'PENDING' and t.dispatched_at is null)
                        order by j.priority desc, holding, j.last_dispatched_at nulls first, j.created_at
                        limit 1
                        """)
                .param("endpoint", endpoint)
                .query((rs, row) -> new Next(
                        rs.getObject("job_id", UUID.class),
                        rs.getObject("task_id", UUID.class),
                        rs.getInt("samples_per_problem")))
                .optional();
    }

    /** Records that requests of a dispatched task ended: their slots are free. */
    void requestsDone(UUID taskId, int requests) {
        if (requests > 0) {
            jdbc.sql("update task set requests_done = requests_done + :requests where id = :task")
                    .param("task", taskId)
                    .param("requests", requests)
                    .update();
        }
    }

    private record Next(UUID jobId, UUID taskId, int width) {}
}
