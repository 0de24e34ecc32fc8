package dev.evalfleet.worker.task;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.SampleResult;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.TaskTiming;
import dev.evalfleet.worker.SideBySide;
import dev.evalfleet.worker.WorkerIdentity;
import dev.evalfleet.worker.WorkerProperties;
import dev.evalfleet.worker.extraction.ChatPrompt;
import dev.evalfleet.worker.extraction.Completion;
import dev.evalfleet.worker.extraction.CompletionExtractor;
import dev.evalfleet.worker.model.ModelAnswer;
import dev.evalfleet.worker.model.ModelEndpoint;
import dev.evalfleet.worker.model.ModelEndpointException;
import dev.evalfleet.worker.model.ModelEndpoints;
import dev.evalfleet.worker.model.ModelRequest;
import dev.evalfleet.worker.model.RetryBudget;
import dev.evalfleet.worker.provenance.RunProvenances;
import dev.evalfleet.worker.repair.SelfRepair;
import dev.evalfleet.worker.scoring.ScoringClient;
import dev.evalfleet.worker.scoring.ScoringException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Does one task: draws its samples from the model endpoint, extracts and scores each, and returns
 * the result to publish. Failures of the model or the scoring service become a FAILED result.
 */
@Component
class TaskRunner {

    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final ModelEndpoints endpoints;
    private final CompletionExtractor extractor;
    private final ScoringClient scoring;
    private final SelfRepair selfRepair;
    private final WorkerIdentity identity;
    private final RunProvenances provenances;
    private final FeedbackPublisher feedback;
    private final WorkerProperties.Retry retry;

    TaskRunner(
            ModelEndpoints endpoints,
            CompletionExtractor extractor,
            ScoringClient scoring,
            SelfRepair selfRepair,
            WorkerIdentity identity,
            RunProvenances provenances,
            FeedbackPublisher feedback,
            WorkerProperties properties) {
        this.feedback = feedback;
        this.endpoints = endpoints;
        this.extractor = extractor;
        this.scoring = scoring;
        this.selfRepair = selfRepair;
        this.identity = identity;
        this.provenances = provenances;
        this.retry = properties.retry();
    }

    /** The model retries one task may spend over all its samples. */
    RetryBudget budget() {
        return RetryBudget.of(retry.taskBudget());
    }

    /**
     * @throws InterruptedException when the task is cancelled or the worker is stopping; the caller
     *     decides whether it goes back to the queue
     */
    TaskResult run(TaskMessage task, Delivery delivery, RetryBudget budget) throws InterruptedException {
        provenances.prefetch(task);
        if (task.scoresGivenCompletions()) {
            return collect(task, delivery, budget, index -> scoreGiven(task, index));
        }
        ModelEndpoint endpoint = endpoints.find(task.endpoint()).orElse(null);
        if (endpoint == null) {
            return failed(
                    task,
                    delivery,
                    budget,
                    "model endpoint '%s' is not served by worker %s (it serves %s)"
                            .formatted(task.endpoint(), identity.workerId(), endpoints.names()));
        }
        if (task.repairs()) {
            return repaired(task, delivery, endpoint, budget);
        }
        ChatPrompt prompt = ChatPrompt.forProblem(task.problem());
        return collect(task, delivery, budget, index -> sample(task, endpoint, prompt, budget, index));
    }

    private TaskResult repaired(TaskMessage task, Delivery delivery, ModelEndpoint endpoint, RetryBudget budget)
            throws InterruptedException {
        try {
            List<SampleResult> nodes =
                    selfRepair.grow(task, endpoint, budget, index -> forSample(task.generation(), index));
            return completed(task, delivery, budget, nodes);
        } catch (RuntimeException failure) {
            String reason = reason(failure);
            log.warn("Task {} failed: {}", task.taskId(), reason);
            return failed(task, delivery, budget, reason);
        }
    }

    /** Something that produces sample {@code index} of a task. */
    private interface Sampler {
        SampleResult sample(int index) throws InterruptedException;
    }

    private TaskResult collect(TaskMessage task, Delivery delivery, RetryBudget budget, Sampler sampler)
            throws InterruptedException {
        int count = task.scoresGivenCompletions() ? task.completions().size() : task.samples();
        List<Callable<SampleResult>> work = IntStream.range(0, count)
                .<Callable<SampleResult>>mapToObj(index -> () -> sampler.sample(index))
                .toList();
        try {
            return completed(task, delivery, budget, SideBySide.all(work));
        } catch (RuntimeException failure) {
            String reason = reason(failure);
            log.warn("Task {} failed: {}", task.taskId(), reason);
            return failed(task, delivery, budget, reason);
        }
    }

    private TaskResult completed(TaskMessage task, Delivery delivery, RetryBudget budget, List<SampleResult> samples) {
        return new TaskResult(
                UUID.randomUUID(),
                task.taskId(),
                task.jobId(),
                identity.workerId(),
                TaskResult.Outcome.COMPLETED,
                null,
                samples,
                timing(delivery, budget),
                provenances.of(task));
    }

    private static TaskTiming timing(Delivery delivery, RetryBudget budget) {
        return new TaskTiming(
                delivery.receivedAt(), Instant.now(), delivery.deliveries(), budget == null ? 0 : budget.spent());
    }

    private SampleResult sample(
            TaskMessage task, ModelEndpoint endpoint, ChatPrompt prompt, RetryBudget budget, int index)
            throws InterruptedException {
        GenerationSettings generation = forSample(task.generation(), index);
        ModelAnswer answer;
        try {
            answer = endpoint.answer(new ModelRequest(task.model(), prompt, generation, task.problem()), budget);
        } catch (ModelEndpointException failed) {
            feedback.requestEnded(task, false);
            throw failed;
        }
        feedback.requestEnded(task, true);
        return scored(task, index, answer, extractor.extract(task.problem(), answer.text()));
    }

    private SampleResult scoreGiven(TaskMessage task, int index) throws InterruptedException {
        String completion = task.completions().get(index);
        return scored(
                task,
                index,
                new ModelAnswer(completion, null, null, 0),
                CompletionExtractor.given(task.problem(), completion));
    }

    private SampleResult scored(TaskMessage task, int index, ModelAnswer answer, Completion completion)
            throws InterruptedException {
        ExecutionResult execution = scoring.execute(new ExecutionRequest(
                completion.program(),
                task.problem().tests(),
                task.timeoutSeconds() > 0 ? task.timeoutSeconds() : null));
        return new SampleResult(
                index,
                answer.text(),
                completion.completion(),
                execution.verdict(),
                execution.testsPassed(),
                execution.testsTotal(),
                execution.feedback(),
                execution.executionMillis(),
                answer.generationMillis(),
                answer.promptTokens(),
                answer.completionTokens(),
                null,
                execution.passedBase(),
                execution.timeLimit(),
                answer.generationStartedAt());
    }

    /**
     * With a fixed seed, n samples would be n copies of one answer and pass@k would measure
     * nothing; sample i therefore uses seed + i, which keeps the whole task reproducible.
     */
    static GenerationSettings forSample(GenerationSettings generation, int index) {
        GenerationSettings settings = generation == null ? GenerationSettings.defaults() : generation;
        if (settings.seed() == null || index == 0) {
            return settings;
        }
        return new GenerationSettings(
                settings.temperature(),
                settings.topP(),
                settings.maxTokens(),
                settings.seed() + index,
                settings.stop());
    }

    /** Model and scoring failures explain themselves; anything else is named by its type. */
    private static String reason(Throwable failure) {
        return failure instanceof ModelEndpointException || failure instanceof ScoringException
                ? failure.getMessage()
                : "internal error in worker: " + failure;
    }

    TaskResult failed(TaskMessage task, Delivery delivery, RetryBudget budget, String reason) {
        return new TaskResult(
                UUID.randomUUID(),
                task.taskId(),
                task.jobId(),
                identity.workerId(),
                TaskResult.Outcome.FAILED,
                reason,
                List.of(),
                timing(delivery, budget),
                provenances.of(task));
    }
}
