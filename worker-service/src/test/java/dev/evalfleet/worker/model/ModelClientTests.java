package dev.evalfleet.worker.model;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.worker.WorkerProperties;
import dev.evalfleet.worker.extraction.ChatPrompt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Ollama and OpenAI-compatible clients against WireMock standing in for the model servers. */
class ModelClientTests {

    private static final WireMockServer modelServer =
            new WireMockServer(wireMockConfig().dynamicPort());

    private static final GenerationSettings SETTINGS =
            new GenerationSettings(0.2, 0.95, 512, 42L, List.of("\nif __name__", "\nprint("));
    private static final ChatPrompt PROMPT = new ChatPrompt("Answer in Python.", "Write add(a, b).");
    private static final String ANSWER = "```python\ndef add(a, b):\n    return a + b\n```";
    private static final String OLLAMA_OK = """
            {"model": "m", "message": {"role": "assistant", "content": "ok"}, "done": true}
            """;
    private static final String OPENAI_OK = """
            {"id": "c", "object": "chat.completion", "created": 1, "model": "m",
             "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "ok"}}]}
            """;
    /** Never opens within a test, so retries are seen on their own. */
    private static final WorkerProperties.CircuitBreaker LENIENT_BREAKER =
            new WorkerProperties.CircuitBreaker(100, 100, 100, Duration.ofSeconds(1), 1);

    @BeforeAll
    static void startModelServer() {
        modelServer.start();
    }

    @AfterAll
    static void stopModelServer() {
        modelServer.stop();
    }

    @BeforeEach
    void resetModelServer() {
        modelServer.resetAll();
    }

    @Test
    void ollamaChatSendsModelSettingsAndMessagesAndReadsAnswerAndTokens() throws Exception {
        modelServer.stubFor(post("/api/chat").willReturn(okJson("""
                {"model": "qwen2.5-coder:1.5b", "created_at": "2025-01-01T00:00:00Z",
                 "message": {"role": "assistant", "content": %s},
                 "done": true, "done_reason": "stop", "total_duration": 1200000,
                 "prompt_eval_count": 31, "eval_count": 14}
                """.formatted(json(ANSWER)))));

        ModelAnswer answer = endpoint(WorkerProperties.Provider.OLLAMA, baseUrl(), Duration.ofSeconds(5))
                .answer(new ModelRequest("qwen2.5-coder:1.5b", PROMPT, SETTINGS, null), RetryBudget.of(10));

        assertThat(answer.text()).isEqualTo(ANSWER);
        assertThat(answer.promptTokens()).isEqualTo(31);
        assertThat(answer.completionTokens()).isEqualTo(14);
        assertThat(answer.generationMillis()).isNotNegative();
        modelServer.verify(postRequestedFor(urlEqualTo("/api/chat"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("qwen2.5-coder:1.5b")))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("false")))
                .withRequestBody(matchingJsonPath("$.options.temperature", equalTo("0.2")))
                .withRequestBody(matchingJsonPath("$.options.top_p", equalTo("0.95")))
                .withRequestBody(matchingJsonPath("$.options.num_predict", equalTo("512")))
                .withRequestBody(matchingJsonPath("$.options.seed", equalTo("42")))
                .withRequestBody(matchingJsonPath("$.options.stop", equalToJson("[\"\\nif __name__\", \"\\nprint(\"]")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("Answer in Python.")))
                .withRequestBody(matchingJsonPath("$.messages[1].role", equalTo("user")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Write add(a, b)."))));
    }

    @Test
    void openAiChatCompletionsSendsModelSettingsAndMessagesAndReadsAnswerAndTokens() throws Exception {
        modelServer.stubFor(post("/v1/chat/completions").willReturn(okJson("""
                {"id": "chatcmpl-1", "object": "chat.completion", "created": 1735689600,
                 "model": "Qwen/Qwen2.5-Coder-7B-Instruct",
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": %s}}],
                 "usage": {"prompt_tokens": 27, "completion_tokens": 19, "total_tokens": 46}}
                """.formatted(json(ANSWER)))));

        ModelAnswer answer = endpoint(WorkerProperties.Provider.OPENAI, baseUrl() + "/v1", Duration.ofSeconds(5))
                .answer(new ModelRequest("Qwen/Qwen2.5-Coder-7B-Instruct", PROMPT, SETTINGS, null), RetryBudget.of(10));

        assertThat(answer.text()).isEqualTo(ANSWER);
        assertThat(answer.promptTokens()).isEqualTo(27);
        assertThat(answer.completionTokens()).isEqualTo(19);
        modelServer.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("Qwen/Qwen2.5-Coder-7B-Instruct")))
                .withRequestBody(matchingJsonPath("$.temperature", equalTo("0.2")))
                .withRequestBody(matchingJsonPath("$.top_p", equalTo("0.95")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("512")))
                .withRequestBody(matchingJsonPath("$.seed", equalTo("42")))
                .withRequestBody(matchingJsonPath("$.stop", equalToJson("[\"\\nif __name__\", \"\\nprint(\"]")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.messages[0].content", equalTo("Answer in Python.")))
                .withRequestBody(matchingJsonPath("$.messages[1].role", equalTo("user")))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("Write add(a, b)."))));
    }

    @Test
    void ollamaRequestThatOutlivesItsTimeoutFails() {
        modelServer.stubFor(post("/api/chat").willReturn(aResponse().withFixedDelay(3_000)));
        ModelEndpoint endpoint = endpoint(WorkerProperties.Provider.OLLAMA, baseUrl(), Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThatThrownBy(() -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10)))
                .isInstanceOf(ModelEndpointException.class)
                .hasMessageContaining("model endpoint 'under-test'")
                .hasMessageContaining("after 1 attempt");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void openAiRequestThatOutlivesItsTimeoutFails() {
        modelServer.stubFor(post("/v1/chat/completions").willReturn(aResponse().withFixedDelay(3_000)));
        ModelEndpoint endpoint = endpoint(WorkerProperties.Provider.OPENAI, baseUrl() + "/v1", Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThatThrownBy(() -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10)))
                .isInstanceOf(ModelEndpointException.class)
                .hasMessageContaining("model endpoint 'under-test'");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void serverErrorIsRetriedThenSucceeds() throws Exception {
        modelServer.stubFor(post("/api/chat")
                .inScenario("flaky")
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        modelServer.stubFor(post("/api/chat")
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(okJson(OLLAMA_OK)));
        ModelEndpoint endpoint = endpoint(WorkerProperties.Provider.OLLAMA, baseUrl(), retry(3, 10), LENIENT_BREAKER);

        assertThat(endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10))
                        .text())
                .isEqualTo("ok");
        modelServer.verify(2, postRequestedFor(urlEqualTo("/api/chat")));
    }

    @Test
    void rateLimitedOllamaRequestIsRetriedThenSucceeds() throws Exception {
        modelServer.stubFor(post("/api/chat")
                .inScenario("busy")
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429))
                .willSetStateTo("free"));
        modelServer.stubFor(
                post("/api/chat").inScenario("busy").whenScenarioStateIs("free").willReturn(okJson(OLLAMA_OK)));
        ModelEndpoint endpoint = endpoint(WorkerProperties.Provider.OLLAMA, baseUrl(), retry(3, 10), LENIENT_BREAKER);

        assertThat(endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10))
                        .text())
                .isEqualTo("ok");
        modelServer.verify(2, postRequestedFor(urlEqualTo("/api/chat")));
    }

    @Test
    void aServerThatPushesBackIsReportedOncePerRefusalAndNotForOtherFailures() throws Exception {
        modelServer.stubFor(post("/api/chat")
                .inScenario("overloaded")
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(503).withBody("{\"error\": \"server busy, please try again\"}"))
                .willSetStateTo("429"));
        modelServer.stubFor(post("/api/chat")
                .inScenario("overloaded")
                .whenScenarioStateIs("429")
                .willReturn(aResponse().withStatus(429))
                .willSetStateTo("500"));
        modelServer.stubFor(post("/api/chat")
                .inScenario("overloaded")
                .whenScenarioStateIs("500")
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("free"));
        modelServer.stubFor(post("/api/chat")
                .inScenario("overloaded")
                .whenScenarioStateIs("free")
                .willReturn(okJson(OLLAMA_OK)));
        List<String> pushbacks = new CopyOnWriteArrayList<>();
        ModelEndpoint endpoint = endpoint(
                WorkerProperties.Provider.OLLAMA,
                baseUrl(),
                Duration.ofSeconds(5),
                retry(4, 10),
                LENIENT_BREAKER,
                pushbacks::add);

        assertThat(endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10))
                        .text())
                .isEqualTo("ok");
        assertThat(pushbacks)
                .as("503 and 429 push back; 500 is a failure, not overload")
                .containsExactly("under-test", "under-test");
    }

    @Test
    void rateLimitedOpenAiRequestIsRetriedThenSucceeds() throws Exception {
        modelServer.stubFor(post("/v1/chat/completions")
                .inScenario("busy")
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(429).withBody("{\"error\": {\"message\": \"slow down\"}}"))
                .willSetStateTo("free"));
        modelServer.stubFor(post("/v1/chat/completions")
                .inScenario("busy")
                .whenScenarioStateIs("free")
                .willReturn(okJson(OPENAI_OK)));
        ModelEndpoint endpoint =
                endpoint(WorkerProperties.Provider.OPENAI, baseUrl() + "/v1", retry(3, 10), LENIENT_BREAKER);

        assertThat(endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10))
                        .text())
                .isEqualTo("ok");
        modelServer.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void badRequestIsNotRetried() {
        modelServer.stubFor(
                post("/api/chat").willReturn(aResponse().withStatus(400).withBody("{\"error\": \"bad\"}")));
        ModelEndpoint endpoint = endpoint(WorkerProperties.Provider.OLLAMA, baseUrl(), retry(5, 10), LENIENT_BREAKER);

        assertThatThrownBy(() -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10)))
                .isInstanceOf(ModelEndpointException.class)
                .hasMessageContaining("refused the request")
                .hasMessageContaining("400");
        modelServer.verify(1, postRequestedFor(urlEqualTo("/api/chat")));
    }

    @Test
    void openAiBadRequestIsNotRetried() {
        modelServer.stubFor(post("/v1/chat/completions")
                .willReturn(aResponse().withStatus(400).withBody("{\"error\": {\"message\": \"bad\"}}")));
        ModelEndpoint endpoint =
                endpoint(WorkerProperties.Provider.OPENAI, baseUrl() + "/v1", retry(5, 10), LENIENT_BREAKER);

        assertThatThrownBy(() -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10)))
                .isInstanceOf(ModelEndpointException.class)
                .hasMessageContaining("refused the request");
        modelServer.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions")));
    }

    @Test
    void retriesStopWhenTheTasksBudgetIsSpent() {
        modelServer.stubFor(post("/api/chat").willReturn(aResponse().withStatus(503)));
        ModelEndpoint endpoint = endpoint(WorkerProperties.Provider.OLLAMA, baseUrl(), retry(10, 1), LENIENT_BREAKER);
        RetryBudget budget = RetryBudget.of(3);

        assertThatThrownBy(() -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), budget))
                .isInstanceOf(ModelEndpointException.class)
                .hasMessageContaining("retry budget of 3 retries is spent");
        // A second sample of the same task gets no retry at all.
        assertThatThrownBy(() -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), budget))
                .hasMessageContaining("after 1 attempt(s)");
        modelServer.verify(5, postRequestedFor(urlEqualTo("/api/chat")));
    }

    @Test
    void openBreakerFailsCallsFastWithoutRequests() {
        modelServer.stubFor(post("/api/chat").willReturn(aResponse().withStatus(503)));
        var breaker = new WorkerProperties.CircuitBreaker(50, 4, 4, Duration.ofMinutes(5), 1);
        ModelEndpoint endpoint = endpoint(WorkerProperties.Provider.OLLAMA, baseUrl(), retry(1, 1), breaker);
        for (int call = 0; call < 4; call++) {
            assertThatThrownBy(() -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10)))
                    .hasMessageContaining("503");
        }

        for (int call = 0; call < 5; call++) {
            assertThatThrownBy(() -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10)))
                    .isInstanceOf(ModelEndpointException.class)
                    .hasMessageContaining("circuit breaker is open");
        }
        modelServer.verify(4, postRequestedFor(urlEqualTo("/api/chat")));
        assertThat(endpoint.circuitBreaker().getState().name()).isEqualTo("OPEN");
    }

    @Test
    void breakerLetsATrialCallThroughAfterItsWaitAndClosesOnSuccess() throws Exception {
        modelServer.stubFor(post("/api/chat")
                .inScenario("outage")
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(500)));
        var breaker = new WorkerProperties.CircuitBreaker(50, 2, 2, Duration.ofMillis(300), 1);
        ModelEndpoint endpoint = endpoint(WorkerProperties.Provider.OLLAMA, baseUrl(), retry(1, 1), breaker);
        for (int call = 0; call < 2; call++) {
            assertThatThrownBy(() -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10)))
                    .hasMessageContaining("500");
        }
        modelServer.stubFor(post("/api/chat").willReturn(okJson(OLLAMA_OK)));

        ModelAnswer answer = await().atMost(Duration.ofSeconds(5))
                .ignoreExceptions()
                .until(
                        () -> endpoint.answer(new ModelRequest("m", PROMPT, SETTINGS, null), RetryBudget.of(10)),
                        a -> true);

        assertThat(answer.text()).isEqualTo("ok");
        assertThat(endpoint.circuitBreaker().getState().name()).isEqualTo("CLOSED");
        modelServer.verify(3, postRequestedFor(urlEqualTo("/api/chat")));
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + modelServer.port();
    }

    private static ModelEndpoint endpoint(WorkerProperties.Provider provider, String baseUrl, Duration timeout) {
        return endpoint(provider, baseUrl, timeout, retry(1, 10), LENIENT_BREAKER);
    }

    private static ModelEndpoint endpoint(
            WorkerProperties.Provider provider,
            String baseUrl,
            WorkerProperties.Retry retry,
            WorkerProperties.CircuitBreaker breaker) {
        return endpoint(provider, baseUrl, Duration.ofSeconds(5), retry, breaker);
    }

    private static ModelEndpoint endpoint(
            WorkerProperties.Provider provider,
            String baseUrl,
            Duration timeout,
            WorkerProperties.Retry retry,
            WorkerProperties.CircuitBreaker breaker) {
        return endpoint(provider, baseUrl, timeout, retry, breaker, name -> {});
    }

    /** Builds one endpoint the way the worker does, from its properties. */
    private static ModelEndpoint endpoint(
            WorkerProperties.Provider provider,
            String baseUrl,
            Duration timeout,
            WorkerProperties.Retry retry,
            WorkerProperties.CircuitBreaker breaker,
            ServerSignals signals) {
        var endpoint =
                new WorkerProperties.Endpoint("under-test", provider, baseUrl, 1, null, Duration.ofSeconds(2), timeout);
        var properties = new WorkerProperties(
                "test-worker", null, null, null, retry, breaker, null, null, null, List.of(endpoint));
        return new ModelEndpoints(properties, new SimpleMeterRegistry(), signals)
                .find("under-test")
                .orElseThrow();
    }

    private static WorkerProperties.Retry retry(int maxAttempts, long backoffMillis) {
        return new WorkerProperties.Retry(
                maxAttempts, Duration.ofMillis(backoffMillis), Duration.ofMillis(backoffMillis * 4), 0.5, 10);
    }

    private static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
