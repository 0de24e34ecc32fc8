package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.TaskTiming;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

@Entity
@Table(name = "task")
@DynamicUpdate
class TaskEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    private UUID jobId;

    private UUID problemId;

    private int ordinal;

    @Enumerated(EnumType.STRING)
    private TaskState state;

    private String failureReason;

    private String workerId;

    private Instant createdAt;

    private Instant publishedAt;

    private Instant finishedAt;

    // Reported by the worker, by its clock; null for results of workers that did not report them.
    private Instant receivedAt;

    private Instant workerFinishedAt;

    private Integer deliveries;

    private Integer modelRetries;

    // Set by the dispatcher and the workers' feedback, in SQL (TaskDispatcher); reset here on a retry.
    private Instant dispatchedAt;

    private int requestsDone;

    protected TaskEntity() {}

    TaskEntity(UUID jobId, UUID problemId, int ordinal) {
        this.jobId = jobId;
        this.problemId = problemId;
        this.ordinal = ordinal;
        this.state = TaskState.PENDING;
        this.createdAt = Instant.now();
    }

    void complete(String workerId, TaskTiming timing) {
        finish(TaskState.COMPLETED, null, workerId);
        timed(timing);
    }

    void fail(String reason, String workerId) {
        fail(reason, workerId, null);
    }

    void fail(String reason, String workerId, TaskTiming timing) {
        finish(TaskState.FAILED, reason, workerId);
        timed(timing);
    }

    private void timed(TaskTiming timing) {
        this.receivedAt = timing == null ? null : timing.receivedAt();
        this.workerFinishedAt = timing == null ? null : timing.finishedAt();
        this.deliveries = timing == null ? null : timing.deliveries();
        this.modelRetries = timing == null ? null : timing.modelRetries();
    }

    void requeue() {
        this.state = TaskState.PENDING;
        this.failureReason = null;
        this.workerId = null;
        this.publishedAt = null;
        this.finishedAt = null;
        this.dispatchedAt = null;
        this.requestsDone = 0;
        timed(null);
    }

    private void finish(TaskState terminal, String reason, String workerId) {
        this.state = terminal;
        this.failureReason = reason;
        this.workerId = workerId;
        this.finishedAt = Instant.now();
    }

    UUID id() {
        return id;
    }

    UUID jobId() {
        return jobId;
    }

    String failureReason() {
        return failureReason;
    }

    TaskState state() {
        return state;
    }
}
