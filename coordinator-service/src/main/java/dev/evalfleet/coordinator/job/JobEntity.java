package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.GenerationSettings;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

@Entity
@Table(name = "job")
@DynamicUpdate
class JobEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    private UUID datasetId;

    private String endpoint;

    private String model;

    private int samplesPerProblem;

    private Double temperature;

    @Column(name = "top_p")
    private Double topP;

    private Integer maxTokens;

    private Long seed;

    private String[] stop;

    /** The job's fixed time limit; {@code null}: calibrated by the scoring service per problem. */
    private Double timeoutSeconds;

    /** The murphy strategy as JSON; {@code null} for independent samples. */
    private String strategy;

    @Enumerated(EnumType.STRING)
    private JobStatus status;

    private Instant createdAt;

    private Instant startedAt;

    private Instant finishedAt;

    private int priority;

    private String createdBy;

    protected JobEntity() {}

    JobEntity(
            UUID datasetId,
            String endpoint,
            String model,
            int samplesPerProblem,
            GenerationSettings generation,
            Double timeoutSeconds) {
        this(datasetId, endpoint, model, samplesPerProblem, generation, timeoutSeconds, null);
    }

    JobEntity(
            UUID datasetId,
            String endpoint,
            String model,
            int samplesPerProblem,
            GenerationSettings generation,
            Double timeoutSeconds,
            String strategy) {
        this.strategy = strategy;
        this.datasetId = datasetId;
        this.endpoint = endpoint;
        this.model = model;
        this.samplesPerProblem = samplesPerProblem;
        this.temperature = generation.temperature();
        this.topP = generation.topP();
        this.maxTokens = generation.maxTokens();
        this.seed = generation.seed();
        this.stop = generation.stop().toArray(String[]::new);
        this.timeoutSeconds = timeoutSeconds;
        this.status = JobStatus.QUEUED;
        this.createdAt = Instant.now();
    }

    JobEntity withPriority(int priority) {
        this.priority = priority;
        return this;
    }

    JobEntity createdBy(String caller) {
        this.createdBy = caller;
        return this;
    }

    String createdBy() {
        return createdBy;
    }

    int priority() {
        return priority;
    }

    /** Every task is terminal: the job is COMPLETED if any produced samples, else FAILED. */
    void finish(boolean anyCompleted) {
        if (status == JobStatus.CANCELLED) {
            return;
        }
        status = anyCompleted ? JobStatus.COMPLETED : JobStatus.FAILED;
        finishedAt = Instant.now();
    }

    void cancel() {
        status = JobStatus.CANCELLED;
        finishedAt = Instant.now();
    }

    /** Failed tasks are sent again: the job runs until they are terminal once more. */
    void reopen() {
        status = JobStatus.QUEUED;
        finishedAt = null;
    }

    GenerationSettings generation() {
        return new GenerationSettings(temperature, topP, maxTokens, seed, List.of(stop));
    }

    UUID id() {
        return id;
    }

    UUID datasetId() {
        return datasetId;
    }

    String endpoint() {
        return endpoint;
    }

    String model() {
        return model;
    }

    int samplesPerProblem() {
        return samplesPerProblem;
    }

    Double timeoutSeconds() {
        return timeoutSeconds;
    }

    String strategy() {
        return strategy;
    }

    JobStatus status() {
        return status;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant startedAt() {
        return startedAt;
    }

    Instant finishedAt() {
        return finishedAt;
    }
}
