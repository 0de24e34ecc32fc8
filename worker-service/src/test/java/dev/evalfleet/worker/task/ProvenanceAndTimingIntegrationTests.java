package dev.evalfleet.worker.task;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.RunProvenance;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.TaskTiming;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.worker.WorkerProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every result says when the worker received and finished its task, how often it was delivered and
 * retried, and what ran it: the model server's digest and version as it tells them, the scoring
 * sandbox, the worker's build; never an endpoint's credentials. WireMock stands in for an Ollama
 * server that describes itself, one that does not, and the scoring service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class ProvenanceAndTimingIntegrationTests {

    private static final String SUFFIX = UUID.randomUUID().toString();
    private static final String DIGEST = "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72";
    private static final WireMockServer describedServer =
            new WireMockServer(wireMockConfig().dynamicPort());
    private static final WireMockServer muteServer =
            new WireMockServer(wireMockConfig().dynamicPort());

    @DynamicPropertySource
    static void isolatedTopologyAndStandIns(DynamicPropertyRegistry registry) {
        describedServer.start();
        muteServer.start();
        String described = "http://127.0.0.1:" + describedServer.port();
        registry.add("evalfleet.worker.id", () -> "it-provenance-" + SUFFIX);
        registry.add("evalfleet.worker.scoring.url", () -> described);
        registry.add("evalfleet.worker.topology.task-exchange", () -> "test.evalfleet.tasks." + SUFFIX);
        registry.add("evalfleet.worker.topology.task-queue", () -> "test.evalfleet.tasks." + SUFFIX);
        registry.add("evalfleet.worker.topology.result-exchange", () -> "test.evalfleet.results." + SUFFIX);
        registry.add("evalfleet.worker.topology.worker-exchange", () -> "test.evalfleet.workers." + SUFFIX);
        registry.add("evalfleet.worker.topology.control-exchange", () -> "test.evalfleet.control." + SUFFIX);
        registry.add("evalfleet.worker.retry.backoff", () -> "10ms");
        registry.add("evalfleet.worker.retry.max-attempts", () -> "2");
        registry.add("evalfleet.worker.provenance.timeout", () -> "500ms");
        registry.add("evalfleet.worker.endpoints[0].name", () -> "described");
        registry.add("evalfleet.worker.endpoints[0].provider", () -> "ollama");
        registry.add("evalfleet.worker.endpoints[0].base-url", () -> described);
        registry.add("evalfleet.worker.endpoints[1].name", () -> "mute");
        registry.add("evalfleet.worker.endpoints[1].provider", () -> "ollama");
        registry.add("evalfleet.worker.endpoints[1].base-url", () -> "http://127.0.0.1:" + muteServer.port());
        registry.add("evalfleet.worker.endpoints[2].name", () -> "keyed");
        registry.add("evalfleet.worker.endpoints[2].provider", () -> "openai");
        // Nothing listens on port 1: the task fails, and its result must still hide the credentials.
        registry.add("evalfleet.worker.endpoints[2].base-url", () -> "https://user:secret@127.0.0.1:1/v1?api_key=x");
        registry.add("evalfleet.worker.endpoints[2].api-key", () -> "sk-never-shown");
    }

    @Autowired
    private RabbitTemplate rabbitTemplate;

    @Autowired
    private AmqpAdmin amqpAdmin;

    @Autowired
    private WorkerProperties properties;

    @Autowired
    private RabbitListenerEndpointRegistry listenerRegistry;

    @Autowired
    private JsonMapper jsonMapper;

    private final Queue resultQueue = new Queue("test.evalfleet.results.received." + SUFFIX, false, false, true);

    @BeforeAll
    void bindResultQueueAndStubServers() {
        amqpAdmin.declareQueue(resultQueue);
        amqpAdmin.declareBinding(BindingBuilder.bind(resultQueue)
                .to(new DirectExchange(properties.topology().resultExchange()))
                .with(properties.topology().resultRoutingKey()));
        // The scoring stand-in answers only a caller with the scoring token, as the scoring service does.
        String scoringToken = "Bearer " + properties.scoring().token();
        describedServer.stubFor(post("/api/executions")
                .withHeader("Authorization", equalTo(scoringToken))
                .willReturn(okJson("""
                {"verdict": "PASSED", "testsPassed": 1, "testsTotal": 1, "tests": [], "feedback": "",
                 "executionMillis": 3, "sandbox": "stand-in"}
                """)));
        describedServer.stubFor(get("/actuator/info")
                .withHeader("Authorization", equalTo(scoringToken))
                .willReturn(okJson("""
                {"app": {"name": "scoring-service"}, "sandbox": {"mode": "bubblewrap", "python": "3.11.2"}}
                """)));
        describedServer.stubFor(get("/api/tags").willReturn(okJson("""
                {"models": [{"name": "other:7b", "model": "other:7b", "digest": "ffff"},
                            {"name": "coder:latest", "model": "coder:latest", "digest": "%s"}]}
                """.formatted(DIGEST))));
        describedServer.stubFor(post("/api/show")
                .withRequestBody(matchingJsonPath("$.model", equalTo("coder")))
                .willReturn(okJson("""
                        {"modelfile": "", "details": {"format": "gguf", "family": "qwen2",
                         "parameter_size": "7.6B", "quantization_level": "Q4_K_M"}}
                        """)));
        describedServer.stubFor(get("/api/version").willReturn(okJson("{\"version\": \"0.12.6\"}")));
        String answer = """
                {"model": "coder", "message": {"role": "assistant", "content": "```python\\ndef add(a, b):\\n    return a + b\\n```"},
                 "done": true, "prompt_eval_count": 10, "eval_count": 10}
                """;
        describedServer.stubFor(post("/api/chat")
                .inScenario("one failure")
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        describedServer.stubFor(post("/api/chat")
                .inScenario("one failure")
                .whenScenarioStateIs("up")
                .willReturn(okJson(answer)));
        muteServer.stubFor(post("/api/chat").willReturn(okJson(answer)));
        muteServer.stubFor(post("/api/show").willReturn(aResponse().withStatus(500)));
        muteServer.stubFor(get("/api/tags").willReturn(aResponse().withStatus(404)));
        muteServer.stubFor(
                get("/api/version").willReturn(okJson("{\"version\": \"9\"}").withFixedDelay(3_000)));
    }

    @AfterAll
    void deleteTestTopology() {
        listenerRegistry.stop();
        WorkerProperties.Topology topology = properties.topology();
        amqpAdmin.deleteQueue(resultQueue.getName());
        amqpAdmin.deleteQueue(topology.taskQueue());
        amqpAdmin.deleteExchange(topology.taskExchange());
        amqpAdmin.deleteExchange(topology.resultExchange());
        amqpAdmin.deleteExchange(topology.workerExchange());
        amqpAdmin.deleteExchange(topology.controlExchange());
        describedServer.stop();
        muteServer.stop();
    }

    @Test
    void resultCarriesTheWorkersTimingAndWhatTheModelServerAndScoringServiceTell() {
        TaskMessage task = task("described", "coder");

        publish(task);
        TaskResult result = resultOf(awaitResultMessage(task));

        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.COMPLETED);
        TaskTiming timing = result.timing();
        assertThat(timing.receivedAt()).isNotNull().isBeforeOrEqualTo(timing.finishedAt());
        assertThat(timing.deliveries()).isEqualTo(1);
        assertThat(timing.modelRetries()).as("the first chat request failed").isEqualTo(1);
        assertThat(result.samples())
                .singleElement()
                .satisfies(sample ->
                        assertThat(sample.generationStartedAt()).isBetween(timing.receivedAt(), timing.finishedAt()));
        RunProvenance provenance = result.provenance();
        assertThat(provenance.endpoint()).isEqualTo("described");
        assertThat(provenance.provider()).isEqualTo("ollama");
        assertThat(provenance.baseUrl()).isEqualTo("http://127.0.0.1:" + describedServer.port());
        assertThat(provenance.model()).isEqualTo("coder");
        assertThat(provenance.modelDigest()).isEqualTo(DIGEST);
        assertThat(provenance.modelDetails()).contains("family=qwen2", "quantization_level=Q4_K_M");
        assertThat(provenance.modelServerVersion()).isEqualTo("0.12.6");
        assertThat(provenance.scoringSandbox()).isEqualTo("bubblewrap");
        assertThat(provenance.scoringPython()).isEqualTo("3.11.2");
        assertThat(provenance.workerVersion()).isNotBlank();
    }

    @Test
    void modelServerThatDoesNotDescribeItselfLeavesNullsAndTheTaskStillCompletes() {
        TaskMessage task = task("mute", "coder");

        publish(task);
        TaskResult result = resultOf(awaitResultMessage(task));

        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.COMPLETED);
        assertThat(result.provenance().provider()).isEqualTo("ollama");
        assertThat(result.provenance().modelDigest()).isNull();
        assertThat(result.provenance().modelDetails()).isNull();
        assertThat(result.provenance().modelServerVersion())
                .as("answered too late")
                .isNull();
        assertThat(result.timing().deliveries()).isEqualTo(1);
    }

    @Test
    void credentialsInTheBaseUrlNeverReachTheResult() {
        TaskMessage task = task("keyed", "gpt");

        publish(task);
        Message message = awaitResultMessage(task);
        TaskResult result = resultOf(message);

        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.FAILED);
        assertThat(result.provenance().provider()).isEqualTo("openai");
        assertThat(result.provenance().baseUrl()).isEqualTo("https://127.0.0.1:1/v1");
        assertThat(result.timing().finishedAt())
                .isAfterOrEqualTo(result.timing().receivedAt());
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8))
                .doesNotContain("secret")
                .doesNotContain("api_key")
                .doesNotContain("sk-never-shown")
                .doesNotContain("user:");
    }

    private void publish(TaskMessage task) {
        rabbitTemplate.convertAndSend(
                properties.topology().taskExchange(), properties.topology().taskRoutingKey(), task);
    }

    /** The raw result message, so a test can read exactly what went over the wire. */
    private Message awaitResultMessage(TaskMessage task) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> rabbitTemplate.receive(resultQueue.getName()),
                        message -> message != null && resultOf(message).taskId().equals(task.taskId()));
    }

    private TaskResult resultOf(Message message) {
        return jsonMapper.readValue(message.getBody(), TaskResult.class);
    }

    private static TaskMessage task(String endpoint, String model) {
        String prompt = "def add(a: int, b: int) -> int:\n    \"\"\"Return the sum of a and b.\"\"\"\n";
        ProblemPayload problem = new ProblemPayload(
                "Test/add",
                ProblemFormat.HUMAN_EVAL,
                prompt,
                "add",
                TestSuite.humanEval("def check(candidate):\n    assert candidate(2, 3) == 5\n", "add"),
                "    return a + b\n");
        return new TaskMessage(
                UUID.randomUUID(),
                UUID.randomUUID(),
                endpoint,
                model,
                1,
                new GenerationSettings(0.0, null, 64, 1L, List.of()),
                5.0,
                problem,
                null,
                null);
    }
}
