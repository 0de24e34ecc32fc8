package dev.evalfleet.worker;

import dev.evalfleet.contracts.Messaging;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything a deployment can change about a worker, bound from {@code evalfleet.worker.*}.
 *
 * @param id worker id announced in heartbeats and results; blank means host-pid-random
 * @param tasks how tasks are consumed and acknowledged
 * @param heartbeat how often the worker announces itself
 * @param scoring where the scoring service lives
 * @param retry attempts a model or scoring call gets before the task fails
 * @param circuitBreaker when a model endpoint counts as down and is no longer called
 * @param cancellation how long cancelled jobs are remembered
 * @param topology exchange and queue names; the defaults are the shared ones in {@link Messaging}
 * @param provenance how the worker learns what model servers and the scoring service run
 * @param endpoints the model endpoints this worker serves
 */
@ConfigurationProperties("evalfleet.worker")
@Validated
public record WorkerProperties(
        String id,
        @Valid @DefaultValue Tasks tasks,
        @Valid @DefaultValue Heartbeat heartbeat,
        @Valid @DefaultValue Scoring scoring,
        @Valid @DefaultValue Retry retry,
        @Valid @DefaultValue CircuitBreaker circuitBreaker,
        @Valid @DefaultValue Cancellation cancellation,
        @Valid @DefaultValue Topology topology,
        @Valid @DefaultValue Provenance provenance,
        @NotEmpty List<@Valid Endpoint> endpoints) {

    /**
     * @param concurrency tasks worked on at once (one AMQP consumer each, prefetch 1, on virtual
     *     threads); the coordinator paces an endpoint with a capacity, so this only needs to be large
     *     enough for the worker's share of it
     * @param confirmTimeout how long to wait for the broker to confirm a published result
     * @param shutdownTimeout how long a stopping worker lets tasks in flight finish; what is still
     *     running then goes back to the queue
     * @param deadline how long one task may run before it fails; the broker's {@code
     *     consumer_timeout} (RabbitMQ's default: 30m) must exceed it plus the confirm timeout, or the
     *     broker closes the channel of the unacknowledged task first
     */
    public record Tasks(
            @DefaultValue("64") @Min(1) int concurrency,
            @DefaultValue("30s") @NotNull Duration confirmTimeout,
            @DefaultValue("30s") @NotNull Duration shutdownTimeout,
            @DefaultValue("25m") @NotNull Duration deadline) {}

    public record Heartbeat(@DefaultValue("5s") @NotNull Duration interval) {}

    /**
     * @param url base URL of the scoring service
     * @param readTimeout upper bound of one scoring call; the execution limit itself travels in the
     *     request, this only guards against a scoring service that never answers
     * @param token sent as {@code Authorization: Bearer} on every call: the scoring service answers no
     *     one else ({@code EVALFLEET_SCORING_TOKEN}, the same value the scoring service is given)
     */
    public record Scoring(
            @DefaultValue("http://127.0.0.1:8082") @NotNull URI url,
            @DefaultValue("5s") @NotNull Duration connectTimeout,
            @DefaultValue("5m") @NotNull Duration readTimeout,

            @NotBlank(message = "is not set: set EVALFLEET_SCORING_TOKEN, the token the scoring service expects")
            String token) {

        /** Keeps the token out of logs and failure reports. */
        @Override
        public String toString() {
            return "Scoring[url=%s, connectTimeout=%s, readTimeout=%s, token=(hidden)]"
                    .formatted(url, connectTimeout, readTimeout);
        }
    }

    /**
     * @param maxAttempts attempts per model call and per scoring call, the first included
     * @param backoff pause before the second attempt; doubled for each further one
     * @param maxBackoff longest pause between two model attempts
     * @param jitter how far a model retry's pause may stray from the doubled one, as a share of it
     *     (0.5: between half and one and a half times), so workers do not retry in lockstep
     * @param taskBudget model retries one task may spend over all its samples; once spent, the next
     *     failure fails the task
     */
    public record Retry(
            @DefaultValue("3") @Min(1) int maxAttempts,
            @DefaultValue("1s") @NotNull Duration backoff,
            @DefaultValue("30s") @NotNull Duration maxBackoff,

            @DefaultValue("0.5") @DecimalMin("0.0") @DecimalMax("1.0")
            double jitter,

            @DefaultValue("10") @Min(0) int taskBudget) {}

    /**
     * A Resilience4j circuit breaker per model endpoint. Only failures worth a retry (unreachable,
     * timed out, 429, 5xx) count; a 4xx answer shows the server is up.
     *
     * @param failureRateThreshold percentage of failed calls in the window that opens the breaker
     * @param slidingWindowSize calls the failure rate is computed over
     * @param minimumNumberOfCalls calls needed before the failure rate counts at all
     * @param waitInOpenState how long an open breaker fails calls fast before it lets trial calls through
     * @param permittedCallsInHalfOpenState trial calls that decide whether the breaker closes again
     */
    public record CircuitBreaker(
            @DefaultValue("50") @DecimalMin("1") @DecimalMax("100")
            float failureRateThreshold,

            @DefaultValue("20") @Min(1) int slidingWindowSize,
            @DefaultValue("20") @Min(1) int minimumNumberOfCalls,
            @DefaultValue("30s") @NotNull Duration waitInOpenState,
            @DefaultValue("1") @Min(1) int permittedCallsInHalfOpenState) {}

    /**
     * @param retention how long a cancelled job is remembered, so its tasks still queued are dropped
     * @param maxJobs cancelled jobs remembered at most; the oldest are forgotten first
     */
    public record Cancellation(
            @DefaultValue("24h") @NotNull Duration retention,
            @DefaultValue("10000") @Min(1) int maxJobs) {}

    public record Topology(
            @DefaultValue(Messaging.TASK_EXCHANGE) @NotBlank String taskExchange,
            @DefaultValue(Messaging.TASK_QUEUE) @NotBlank String taskQueue,

            @DefaultValue(Messaging.TASK_ROUTING_KEY) @NotBlank
            String taskRoutingKey,

            @DefaultValue(Messaging.RESULT_EXCHANGE) @NotBlank
            String resultExchange,

            @DefaultValue(Messaging.RESULT_ROUTING_KEY) @NotBlank
            String resultRoutingKey,

            @DefaultValue(Messaging.WORKER_EXCHANGE) @NotBlank
            String workerExchange,

            @DefaultValue(Messaging.CONTROL_EXCHANGE) @NotBlank
            String controlExchange) {}

    /**
     * What a model server says about a model (digest, version) and what the scoring service says
     * about its sandbox, recorded with every result.
     *
     * @param refresh how long an answer is reused before the server is asked again
     * @param timeout limit of one question; a server that does not answer in time leaves its part of
     *     the provenance empty, and a task waits no longer than this for it
     */
    public record Provenance(
            @DefaultValue("5m") @NotNull Duration refresh,
            @DefaultValue("3s") @NotNull Duration timeout) {}

    /**
     * One model server.
     *
     * @param name what tasks call it ({@code TaskMessage.endpoint})
     * @param provider which API it speaks
     * @param baseUrl server root, e.g. {@code http://127.0.0.1:11434} (Ollama) or
     *     {@code http://127.0.0.1:8000/v1} (OpenAI-compatible); unused by {@code reference}
     * @param maxConcurrency model requests this worker has in flight to this endpoint at most; 0 (the
     *     default): the endpoint's {@code capacity}, or 1 without one
     * @param apiKey bearer token for OpenAI-compatible servers; may be blank
     * @param requestTimeout limit of one model request
     * @param capacity requests the model server serves at once (Ollama's {@code OLLAMA_NUM_PARALLEL},
     *     vLLM's batch limit): announced to the coordinator, which never lets the whole fleet have more
     *     in flight to the endpoint, however many workers serve it; 0: not paced
     */
    public record Endpoint(
            @NotBlank String name,
            @NotNull Provider provider,
            String baseUrl,
            @DefaultValue("0") @Min(0) int maxConcurrency,
            String apiKey,
            @DefaultValue("5s") @NotNull Duration connectTimeout,
            @DefaultValue("5m") @NotNull Duration requestTimeout,
            @DefaultValue("0") @Min(0) int capacity) {

        /** What the configuration binds to. */
        @ConstructorBinding
        public Endpoint {}

        /** An endpoint whose server's capacity is not announced. */
        public Endpoint(
                String name,
                Provider provider,
                String baseUrl,
                int maxConcurrency,
                String apiKey,
                Duration connectTimeout,
                Duration requestTimeout) {
            this(name, provider, baseUrl, maxConcurrency, apiKey, connectTimeout, requestTimeout, 0);
        }

        /** Model requests this worker sends the endpoint at once at most. */
        public int concurrency() {
            if (maxConcurrency > 0) {
                return maxConcurrency;
            }
            return capacity > 0 ? capacity : 1;
        }
    }

    /** The API an endpoint speaks. */
    public enum Provider {
        OLLAMA,
        OPENAI,
        /** No server: answers with the problem's reference solution, to check the harness itself. */
        REFERENCE
    }
}
