package dev.evalfleet.worker.provenance;

import dev.evalfleet.contracts.RunProvenance;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.worker.WorkerIdentity;
import dev.evalfleet.worker.WorkerProperties;
import dev.evalfleet.worker.model.ModelIdentities;
import dev.evalfleet.worker.model.ModelIdentity;
import dev.evalfleet.worker.scoring.ScoringClient;
import dev.evalfleet.worker.scoring.ScoringSandbox;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.GitProperties;
import org.springframework.stereotype.Component;

/**
 * The provenance of a task's result: the endpoint as this worker is configured for it (never its
 * credentials), what the model server and the scoring service say about themselves, and the worker's
 * own build. Never fails a task: what cannot be learned in time stays {@code null}.
 */
@Component
public class RunProvenances {

    private final Map<String, WorkerProperties.Endpoint> endpoints = new HashMap<>();
    private final ModelIdentities models;
    private final ScoringClient scoring;
    private final Duration wait;
    private final String workerVersion;
    private final String workerCommit;

    RunProvenances(
            WorkerProperties properties,
            ModelIdentities models,
            ScoringClient scoring,
            WorkerIdentity identity,
            ObjectProvider<GitProperties> git) {
        properties.endpoints().forEach(endpoint -> endpoints.put(endpoint.name(), endpoint));
        this.models = models;
        this.scoring = scoring;
        this.wait = properties.provenance().timeout();
        this.workerVersion = identity.version();
        this.workerCommit = git.stream()
                .map(GitProperties::getCommitId)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }

    /** Starts asking the servers while the task runs, so its result need not wait for them. */
    public void prefetch(TaskMessage task) {
        models.of(task.endpoint(), task.model());
        scoring.sandbox();
    }

    public RunProvenance of(TaskMessage task) {
        ScoringSandbox sandbox = await(scoring.sandbox(), ScoringSandbox.UNKNOWN);
        WorkerProperties.Endpoint endpoint = task.scoresGivenCompletions() ? null : endpoints.get(task.endpoint());
        ModelIdentity model = endpoint == null
                ? ModelIdentity.UNKNOWN
                : await(models.of(endpoint.name(), task.model()), ModelIdentity.UNKNOWN);
        return new RunProvenance(
                task.endpoint(),
                endpoint == null ? null : endpoint.provider().name().toLowerCase(),
                endpoint == null || endpoint.provider() == WorkerProperties.Provider.REFERENCE
                        ? null
                        : endpoint.baseUrl(),
                task.model(),
                model.digest(),
                model.details(),
                model.serverVersion(),
                sandbox.mode(),
                sandbox.python(),
                workerVersion,
                workerCommit);
    }

    private <T> T await(CompletableFuture<T> answer, T unknown) {
        try {
            return answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
            // The caller's interruption (cancelled, stopping) must still reach it.
            Thread.currentThread().interrupt();
            return unknown;
        } catch (ExecutionException | TimeoutException unanswered) {
            return unknown;
        }
    }
}
