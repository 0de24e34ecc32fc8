package dev.evalfleet.worker.scoring;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.worker.WorkerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.JsonNode;

/**
 * Sends programs to the scoring service ({@code POST /api/executions}) and returns its verdict; asks
 * it how it runs them ({@code GET /actuator/info}).
 */
@Component
public class ScoringClient {

    private final RestClient restClient;
    private final WorkerProperties.Retry retry;
    private final Timer latency;
    private final URI url;
    private final RestClient infoClient;
    private final AsyncLoadingCache<URI, ScoringSandbox> sandbox;

    public ScoringClient(RestClient.Builder builder, WorkerProperties properties, MeterRegistry meterRegistry) {
        WorkerProperties.Scoring scoring = properties.scoring();
        // HTTP/1.1: the JDK client's default h2c upgrade on plain http confuses some servers.
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(scoring.connectTimeout())
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(scoring.readTimeout());
        this.restClient = builder.clone()
                .baseUrl(scoring.url().toString())
                .defaultHeaders(headers -> headers.setBearerAuth(scoring.token()))
                .requestFactory(requestFactory)
                .build();
        this.retry = properties.retry();
        this.latency = Timer.builder("evalfleet.worker.scoring.latency")
                .description("Time of one scoring request, the program's execution included")
                .register(meterRegistry);
        this.url = scoring.url();
        this.infoClient = infoClient(builder, scoring, properties.provenance().timeout());
        this.sandbox = Caffeine.newBuilder()
                .expireAfterWrite(properties.provenance().refresh())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .buildAsync(url -> askSandbox());
    }

    private static RestClient infoClient(
            RestClient.Builder builder, WorkerProperties.Scoring scoring, Duration timeout) {
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(timeout);
        return builder.clone()
                .baseUrl(scoring.url().toString())
                .defaultHeaders(headers -> headers.setBearerAuth(scoring.token()))
                .requestFactory(requestFactory)
                .build();
    }

    /**
     * Completes with the scoring service's sandbox mode and Python version, asked once per {@code
     * evalfleet.worker.provenance.refresh}, or {@link ScoringSandbox#UNKNOWN}; never fails.
     */
    public CompletableFuture<ScoringSandbox> sandbox() {
        return sandbox.get(url);
    }

    private ScoringSandbox askSandbox() {
        try {
            JsonNode info = infoClient.get().uri("/actuator/info").retrieve().body(JsonNode.class);
            JsonNode sandbox = info == null ? null : info.path("sandbox");
            if (sandbox == null || !sandbox.isObject()) {
                return ScoringSandbox.UNKNOWN;
            }
            return new ScoringSandbox(text(sandbox, "mode"), text(sandbox, "python"));
        } catch (RuntimeException unanswered) {
            return ScoringSandbox.UNKNOWN;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }

    /**
     * Runs {@code request}, retrying transport failures and server errors within the budget; a
     * client error (the request itself is wrong) fails at once.
     *
     * @throws ScoringException when no attempt succeeded
     * @throws InterruptedException when the worker is stopping
     */
    public ExecutionResult execute(ExecutionRequest request) throws InterruptedException {
        Duration backoff = retry.backoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return latency.recordCallable(() -> post(request));
            } catch (HttpClientErrorException.Unauthorized refused) {
                throw new ScoringException(
                        "scoring service refused the worker's token: EVALFLEET_SCORING_TOKEN is not the scoring service's",
                        refused);
            } catch (HttpClientErrorException rejected) {
                throw new ScoringException("scoring service rejected the program: " + rejected.getMessage(), rejected);
            } catch (InterruptedException interrupted) {
                throw interrupted;
            } catch (Exception failure) {
                if (attempt >= retry.maxAttempts()) {
                    throw new ScoringException(
                            "scoring service failed after %d attempt(s): %s"
                                    .formatted(
                                            attempt, failure.getClass().getSimpleName() + ": " + failure.getMessage()),
                            failure);
                }
            }
            Thread.sleep(backoff);
            backoff = backoff.multipliedBy(2);
        }
    }

    private ExecutionResult post(ExecutionRequest request) {
        ExecutionResult result = restClient
                .post()
                .uri("/api/executions")
                .body(request)
                .retrieve()
                .body(ExecutionResult.class);
        if (result == null || result.verdict() == null) {
            throw new RestClientException("scoring service answered without a verdict");
        }
        return result;
    }
}
