package dev.evalfleet.worker;

import dev.evalfleet.contracts.Messaging;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
 * @param topology exchange and queue names; the defaults are the shared ones in {@link Messaging}
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
        @Valid @DefaultValue Topology topology,
        @NotEmpty List<@Valid Endpoint> endpoints) {

    /**
     * @param concurrency tasks worked on at once (one AMQP consumer each, prefetch 1)
     * @param confirmTimeout how long to wait for the broker to confirm a published result
     * @param shutdownTimeout how long a stopping worker lets tasks in flight finish
     */
    public record Tasks(
            @DefaultValue("2") @Min(1) int concurrency,
            @DefaultValue("30s") @NotNull Duration confirmTimeout,
            @DefaultValue("30s") @NotNull Duration shutdownTimeout) {}

    public record Heartbeat(@DefaultValue("5s") @NotNull Duration interval) {}

    /**
     * @param url base URL of the scoring service
     * @param readTimeout upper bound of one scoring call; the execution limit itself travels in the
     *     request, this only guards against a scoring service that never answers
     */
    public record Scoring(
            @DefaultValue("http://127.0.0.1:8082") @NotNull URI url,
            @DefaultValue("5s") @NotNull Duration connectTimeout,
            @DefaultValue("5m") @NotNull Duration readTimeout) {}

    /**
     * @param maxAttempts attempts per model call and per scoring call, the first included
     * @param backoff pause before the second attempt; doubled for each further one
     */
    public record Retry(@DefaultValue("3") @Min(1) int maxAttempts, @DefaultValue("1s") @NotNull Duration backoff) {}

    public record Topology(
            @DefaultValue(Messaging.TASK_EXCHANGE) @NotBlank String taskExchange,
            @DefaultValue(Messaging.TASK_QUEUE) @NotBlank String taskQueue,
            @DefaultValue(Messaging.TASK_ROUTING_KEY) @NotBlank String taskRoutingKey,
            @DefaultValue(Messaging.RESULT_EXCHANGE) @NotBlank String resultExchange,
            @DefaultValue(Messaging.RESULT_ROUTING_KEY) @NotBlank String resultRoutingKey,
            @DefaultValue(Messaging.WORKER_EXCHANGE) @NotBlank String workerExchange) {}

    /**
     * One model server.
     *
     * @param name what tasks call it ({@code TaskMessage.endpoint})
     * @param provider which API it speaks
     * @param baseUrl server root, e.g. {@code http://127.0.0.1:11434} (Ollama) or
     *     {@code http://127.0.0.1:8000/v1} (OpenAI-compatible); unused by {@code reference}
     * @param maxConcurrency model requests in flight to this endpoint at most
     * @param apiKey bearer token for OpenAI-compatible servers; may be blank
     * @param requestTimeout limit of one model request
     */
    public record Endpoint(
            @NotBlank String name,
            @NotNull Provider provider,
            String baseUrl,
            @DefaultValue("1") @Min(1) int maxConcurrency,
            String apiKey,
            @DefaultValue("5s") @NotNull Duration connectTimeout,
            @DefaultValue("5m") @NotNull Duration requestTimeout) {}

    /** The API an endpoint speaks. */
    public enum Provider {
        OLLAMA,
        OPENAI,
        /** No server: answers with the problem's reference solution, to check the harness itself. */
        REFERENCE
    }
}
