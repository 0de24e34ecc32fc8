package dev.evalfleet.worker.task;

import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.worker.WorkerProperties;
import dev.evalfleet.worker.model.RetryBudget;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs each task on a thread of its own under the worker's deadline, and keeps hold of the tasks in
 * flight so they can be interrupted: those of a cancelled job at once, and all that are left once a
 * stopping worker's shutdown timeout has passed.
 */
@Component
class TasksInFlight {

    private static final Logger log = LoggerFactory.getLogger(TasksInFlight.class);

    /** Why a task in flight was interrupted. */
    enum Interruption {
        JOB_CANCELLED,
        WORKER_STOPPING
    }

    private final ApplicationContext context;
    private final TaskRunner runner;
    private final CancelledJobs cancelledJobs;
    private final Duration deadline;
    private final Duration shutdownTimeout;
    private final ExecutorService taskThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("evalfleet-run-", 0).factory());
    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    TasksInFlight(
            ApplicationContext context, TaskRunner runner, CancelledJobs cancelledJobs, WorkerProperties properties) {
        this.context = context;
        this.runner = runner;
        this.cancelledJobs = cancelledJobs;
        this.deadline = properties.tasks().deadline();
        this.shutdownTimeout = properties.tasks().shutdownTimeout();
    }

    /**
     * Runs {@code task} and returns its result; a task that outlives the deadline is interrupted and
     * comes back as a FAILED result.
     *
     * @throws TaskDroppedException when its job was cancelled, or the worker is stopping; the
     *     exception says which, and so whether the task is acknowledged or requeued
     * @throws InterruptedException when the calling thread itself was interrupted
     */
    TaskResult run(TaskMessage task, Delivery delivery) throws TaskDroppedException, InterruptedException {
        RetryBudget budget = runner.budget();
        Running current = new Running(task.jobId(), taskThreads.submit(() -> runner.run(task, delivery, budget)));
        running.add(current);
        try {
            // Registered before looking: a cancellation that arrives now finds it in one place or the other.
            if (cancelledJobs.contains(task.jobId())) {
                current.interrupt(Interruption.JOB_CANCELLED);
            } else if (stopping) {
                current.interrupt(Interruption.WORKER_STOPPING);
            }
            return current.future().get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            current.future().cancel(true);
            String reason = "task did not finish within the worker's deadline of %s (evalfleet.worker.tasks.deadline)"
                    .formatted(deadline);
            log.warn("Task {} failed: {}", task.taskId(), reason);
            return runner.failed(task, delivery, budget, reason);
        } catch (CancellationException interrupted) {
            throw new TaskDroppedException(current.interruption());
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof InterruptedException && current.interruption() != null) {
                throw new TaskDroppedException(current.interruption());
            }
            if (failed.getCause() instanceof RuntimeException bug) {
                throw bug;
            }
            throw new IllegalStateException("task " + task.taskId() + " failed", failed.getCause());
        } catch (InterruptedException callerInterrupted) {
            current.future().cancel(true);
            throw callerInterrupted;
        } finally {
            running.remove(current);
        }
    }

    /** Interrupts the tasks in flight of a job that was cancelled; they are dropped. */
    void cancelJob(UUID jobId) {
        running.stream()
                .filter(task -> task.jobId().equals(jobId))
                .forEach(task -> task.interrupt(Interruption.JOB_CANCELLED));
    }

    int size() {
        return running.size();
    }

    /**
     * Published before any lifecycle bean stops, so the listener containers are still being told to
     * stop (no more deliveries) while this timer runs: tasks in flight get the shutdown timeout to
     * finish, and whatever is still running then is interrupted and goes back to the queue while
     * its channel is still open.
     */
    @EventListener
    void onStopping(ContextClosedEvent closed) {
        if (closed.getApplicationContext() != context) {
            return; // a child context, not this worker
        }
        Thread.ofVirtual().name("evalfleet-shutdown-timer").start(() -> {
            try {
                Thread.sleep(shutdownTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            interruptAll();
        });
    }

    /** Interrupts every task in flight, and every task started from now on, to requeue them. */
    void interruptAll() {
        stopping = true;
        if (!running.isEmpty()) {
            log.info(
                    "Shutdown timeout of {} passed: returning {} task(s) in flight to the queue",
                    shutdownTimeout,
                    running.size());
        }
        running.forEach(task -> task.interrupt(Interruption.WORKER_STOPPING));
    }

    /** Whatever still runs once the context is gone has lost its channel; stop it. */
    @PreDestroy
    void close() {
        taskThreads.shutdownNow();
    }

    /** A task in flight and, once it was interrupted, why. */
    private record Running(UUID jobId, Future<TaskResult> future, AtomicReference<Interruption> why) {

        Running(UUID jobId, Future<TaskResult> future) {
            this(jobId, future, new AtomicReference<>());
        }

        void interrupt(Interruption interruption) {
            // The first reason sticks: a cancelled job's task stays dropped even if the worker stops.
            if (why.compareAndSet(null, interruption)) {
                future.cancel(true);
            }
        }

        Interruption interruption() {
            return why.get();
        }
    }
}
