package dev.evalfleet.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.worker.WorkerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.StaticApplicationContext;

/** Deadline, cancellation and shutdown of tasks in flight, with a task runner that never finishes by itself. */
class TasksInFlightTests {

    private final TaskRunner runner = mock(TaskRunner.class);
    private final CancelledJobs cancelledJobs =
            new CancelledJobs(new WorkerProperties.Cancellation(Duration.ofHours(24), 100), Clock.systemUTC());
    private static final Delivery FIRST_DELIVERY = new Delivery(Instant.now(), 1);

    /** Task id to whether its run was interrupted (false while it still runs). */
    private final Map<UUID, Boolean> interrupted = new ConcurrentHashMap<>();

    TasksInFlightTests() throws InterruptedException {
        when(runner.run(any(), any(), any())).thenAnswer(invocation -> {
            TaskMessage task = invocation.getArgument(0);
            interrupted.put(task.taskId(), false);
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.put(task.taskId(), true);
                throw e;
            }
            throw new AssertionError("unreachable");
        });
        when(runner.failed(any(), any(), any(), anyString())).thenAnswer(invocation -> {
            TaskMessage task = invocation.getArgument(0);
            return new TaskResult(
                    UUID.randomUUID(),
                    task.taskId(),
                    task.jobId(),
                    "w",
                    TaskResult.Outcome.FAILED,
                    invocation.getArgument(3),
                    List.of());
        });
    }

    @Test
    void taskPastTheDeadlineIsInterruptedAndFailsWithTheReason() throws Exception {
        TasksInFlight tasks = tasksInFlight(Duration.ofMillis(300));
        TaskMessage task = task(UUID.randomUUID());

        TaskResult result = tasks.run(task, FIRST_DELIVERY);

        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.FAILED);
        assertThat(result.failureReason()).contains("deadline of PT0.3S");
        await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.get(task.taskId()));
        assertThat(tasks.size()).isZero();
    }

    @Test
    void cancellingAJobDropsItsTasksInFlightPromptlyAndLeavesOthersRunning() throws Exception {
        TasksInFlight tasks = tasksInFlight(Duration.ofMinutes(5));
        UUID cancelledJob = UUID.randomUUID();
        TaskMessage doomed = task(cancelledJob);
        TaskMessage other = task(UUID.randomUUID());
        CompletableFuture<TaskResult> doomedRun = runAsync(tasks, doomed);
        CompletableFuture<TaskResult> otherRun = runAsync(tasks, other);
        await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.size() == 2);

        cancelledJobs.add(cancelledJob);
        tasks.cancelJob(cancelledJob);

        ExecutionException dropped =
                await().atMost(Duration.ofSeconds(2)).until(() -> failureOf(doomedRun), failure -> failure != null);
        assertThat(dropped.getCause())
                .isInstanceOfSatisfying(
                        TaskDroppedException.class,
                        e -> assertThat(e.jobCancelled()).isTrue());
        assertThat(interrupted.get(doomed.taskId())).isTrue();
        assertThat(otherRun).isNotDone();
        assertThat(interrupted.get(other.taskId())).isFalse();

        tasks.interruptAll();
        await().atMost(Duration.ofSeconds(2)).until(otherRun::isDone);
    }

    @Test
    void taskOfAJobCancelledJustBeforeItStartedIsDropped() {
        TasksInFlight tasks = tasksInFlight(Duration.ofMinutes(5));
        UUID job = UUID.randomUUID();
        cancelledJobs.add(job);

        CompletableFuture<TaskResult> run = runAsync(tasks, task(job));

        ExecutionException dropped =
                await().atMost(Duration.ofSeconds(2)).until(() -> failureOf(run), failure -> failure != null);
        assertThat(dropped.getCause())
                .isInstanceOfSatisfying(
                        TaskDroppedException.class,
                        e -> assertThat(e.jobCancelled()).isTrue());
    }

    @Test
    void stoppingWorkerInterruptsTasksInFlightToRequeueThem() {
        TasksInFlight tasks = tasksInFlight(Duration.ofMinutes(5));
        TaskMessage task = task(UUID.randomUUID());
        CompletableFuture<TaskResult> run = runAsync(tasks, task);
        await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.containsKey(task.taskId()));

        tasks.interruptAll();

        ExecutionException dropped =
                await().atMost(Duration.ofSeconds(2)).until(() -> failureOf(run), failure -> failure != null);
        assertThat(dropped.getCause())
                .isInstanceOfSatisfying(
                        TaskDroppedException.class,
                        e -> assertThat(e.jobCancelled()).isFalse());
        assertThat(interrupted.get(task.taskId())).isTrue();
    }

    private TasksInFlight tasksInFlight(Duration deadline) {
        var properties = new WorkerProperties(
                "w",
                new WorkerProperties.Tasks(1, Duration.ofSeconds(1), Duration.ofSeconds(1), deadline),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                List.of());
        return new TasksInFlight(new StaticApplicationContext(), runner, cancelledJobs, properties);
    }

    private static CompletableFuture<TaskResult> runAsync(TasksInFlight tasks, TaskMessage task) {
        CompletableFuture<TaskResult> run = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                run.complete(tasks.run(task, FIRST_DELIVERY));
            } catch (Exception e) {
                run.completeExceptionally(e);
            }
        });
        return run;
    }

    private static ExecutionException failureOf(CompletableFuture<TaskResult> run) {
        if (!run.isDone()) {
            return null;
        }
        try {
            run.get();
            return null;
        } catch (ExecutionException failure) {
            return failure;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TaskMessage task(UUID jobId) {
        return new TaskMessage(UUID.randomUUID(), jobId, "reference", "m", 1, null, 5.0, null, null, null);
    }
}
