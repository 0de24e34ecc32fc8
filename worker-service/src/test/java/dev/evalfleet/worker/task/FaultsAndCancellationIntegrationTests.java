package dev.evalfleet.worker.task;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.JobCancelled;
import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.worker.WorkerProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Model server faults and job cancellation, end to end against the real local RabbitMQ. One
 * WireMock stands in for the model server (Ollama API; each test picks its behaviour by model name)
 * and for the scoring service.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class FaultsAndCancellationIntegrationTests {

    private static final String SUFFIX = UUID.randomUUID().toString();
    private static final int TASK_BUDGET = 2;
    private static final WireMockServer modelAndScoringStandIn =
            new WireMockServer(wireMockConfig().dynamicPort());

    @DynamicPropertySource
    static void isolatedTopologyAndStandIns(DynamicPropertyRegistry registry) {
        modelAndScoringStandIn.start();
        String standIn = "http://127.0.0.1:" + modelAndScoringStandIn.port();
        registry.add("evalfleet.worker.id", () -> "it-faults-" + SUFFIX);
        registry.add("evalfleet.worker.scoring.url", () -> standIn);
        registry.add("evalfleet.worker.topology.task-exchange", () -> "test.evalfleet.tasks." + SUFFIX);
        registry.add("evalfleet.worker.topology.task-queue", () -> "test.evalfleet.tasks." + SUFFIX);
        registry.add("evalfleet.worker.topology.result-exchange", () -> "test.evalfleet.results." + SUFFIX);
        registry.add("evalfleet.worker.topology.worker-exchange", () -> "test.evalfleet.workers." + SUFFIX);
        registry.add("evalfleet.worker.topology.control-exchange", () -> "test.evalfleet.control." + SUFFIX);
        registry.add("evalfleet.worker.tasks.concurrency", () -> "2");
        registry.add("evalfleet.worker.retry.max-attempts", () -> "5");
        registry.add("evalfleet.worker.retry.backoff", () -> "10ms");
        registry.add("evalfleet.worker.retry.max-backoff", () -> "40ms");
        registry.add("evalfleet.worker.retry.task-budget", () -> String.valueOf(TASK_BUDGET));
        // Breakers are tested on their own (ModelClientTests); here they must not trip across tests.
        registry.add("evalfleet.worker.circuit-breaker.minimum-number-of-calls", () -> "100");
        registry.add("evalfleet.worker.circuit-breaker.sliding-window-size", () -> "100");
        registry.add("evalfleet.worker.endpoints[0].name", () -> "slow");
        registry.add("evalfleet.worker.endpoints[0].provider", () -> "ollama");
        registry.add("evalfleet.worker.endpoints[0].base-url", () -> standIn);
        registry.add("evalfleet.worker.endpoints[0].max-concurrency", () -> "2");
        registry.add("evalfleet.worker.endpoints[0].request-timeout", () -> "2m");
        registry.add("evalfleet.worker.endpoints[1].name", () -> "flaky");
        registry.add("evalfleet.worker.endpoints[1].provider", () -> "ollama");
        registry.add("evalfleet.worker.endpoints[1].base-url", () -> standIn);
        registry.add("evalfleet.worker.endpoints[1].max-concurrency", () -> "4");
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
    private CachingConnectionFactory connectionFactory;

    @Autowired
    private CancelledJobs cancelledJobs;

    @Autowired
    private MeterRegistry meterRegistry;

    private final Queue resultQueue = new Queue("test.evalfleet.results.received." + SUFFIX, false, false, true);

    @BeforeAll
    void bindResultQueueAndStubScoring() {
        amqpAdmin.declareQueue(resultQueue);
        amqpAdmin.declareBinding(BindingBuilder.bind(resultQueue)
                .to(new DirectExchange(properties.topology().resultExchange()))
                .with(properties.topology().resultRoutingKey()));
        modelAndScoringStandIn.stubFor(post("/api/executions")
                .withHeader(
                        "Authorization",
                        equalTo("Bearer " + properties.scoring().token()))
                .willReturn(okJson("""
                {"verdict": "PASSED", "testsPassed": 1, "testsTotal": 1, "tests": [], "feedback": "",
                 "executionMillis": 3, "sandbox": "stand-in"}
                """)));
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
        modelAndScoringStandIn.stop();
    }

    @Test
    void taskWhoseRetryBudgetIsSpentComesBackFailedWithTheReason() {
        String model = stubModel("always-503", aResponse().withStatus(503));
        TaskMessage task = task("flaky", model, 2);

        publish(task);
        TaskResult result = awaitResultOf(task);

        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.FAILED);
        assertThat(result.failureReason())
                .contains("model endpoint 'flaky'")
                .contains("retry budget of %d retries is spent".formatted(TASK_BUDGET))
                .contains("503");
        // Two samples, each tried once, plus at most the task's budget of retries.
        assertThat(requestsFor(model)).isBetween(2, 2 + TASK_BUDGET);
        awaitTaskQueueEmpty();
    }

    @Test
    void serverErrorIsRetriedAndTheTaskCompletes() {
        String model = "flaky-once-" + UUID.randomUUID();
        modelAndScoringStandIn.stubFor(post("/api/chat")
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .inScenario(model)
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("up"));
        modelAndScoringStandIn.stubFor(post("/api/chat")
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .inScenario(model)
                .whenScenarioStateIs("up")
                .willReturn(okJson(ollamaAnswer())));
        TaskMessage task = task("flaky", model, 1);

        publish(task);
        TaskResult result = awaitResultOf(task);

        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.COMPLETED);
        assertThat(requestsFor(model)).isEqualTo(2);
    }

    @Test
    void concurrentTasksNeverHaveMoreRequestsInFlightThanTheEndpointAllows() {
        String model = stubModel("slow", okResponseAfter(Duration.ofMillis(1500)));
        TaskMessage first = task("slow", model, 3);
        TaskMessage second = task("slow", model, 3);

        publish(first);
        publish(second);

        // Two tasks with three samples each want six requests at once; max-concurrency is 2.
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsFor(model) == 2);
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(() -> requestsFor(model) == 2);
        List<TaskResult> results = awaitResultsOf(first, second);
        assertThat(results).allSatisfy(result -> assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.COMPLETED));
        assertThat(requestsFor(model)).isEqualTo(6);
    }

    @Test
    void queuedTaskOfACancelledJobIsDroppedWithoutWork() {
        String model = stubModel("never-asked", okResponseAfter(Duration.ZERO));
        TaskMessage task = task("slow", model, 1);
        double cancelledBefore = cancelledCount();

        cancel(task.jobId());
        await().atMost(Duration.ofSeconds(10)).until(() -> cancelledJobs.contains(task.jobId()));
        publish(task);

        await().atMost(Duration.ofSeconds(10)).until(() -> cancelledCount() == cancelledBefore + 1);
        awaitTaskQueueEmpty();
        assertThat(requestsFor(model)).isZero();
        assertThat(receivedResults()).noneMatch(result -> result.taskId().equals(task.taskId()));
    }

    @Test
    void taskInFlightOfACancelledJobIsInterruptedPromptlyAndDropped() {
        String model = stubModel("stuck", okResponseAfter(Duration.ofSeconds(60)));
        TaskMessage task = task("slow", model, 2);
        double cancelledBefore = cancelledCount();
        publish(task);
        await().atMost(Duration.ofSeconds(10)).until(() -> requestsFor(model) == 2);

        cancel(task.jobId());

        await().atMost(Duration.ofSeconds(5)).until(() -> cancelledCount() == cancelledBefore + 1);
        // The model requests themselves were abandoned, not left to run out their minute.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> meterRegistry
                                .get("evalfleet.worker.model.requests.in.flight")
                                .tag("endpoint", "slow")
                                .gauge()
                                .value()
                        == 0);
        awaitTaskQueueEmpty();
        assertThat(receivedResults()).noneMatch(result -> result.taskId().equals(task.taskId()));
    }

    private String stubModel(
            String behaviour, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        String model = behaviour + "-" + UUID.randomUUID();
        modelAndScoringStandIn.stubFor(post("/api/chat")
                .withRequestBody(matchingJsonPath("$.model", equalTo(model)))
                .willReturn(response));
        return model;
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okResponseAfter(Duration delay) {
        return okJson(ollamaAnswer()).withFixedDelay((int) delay.toMillis());
    }

    private static String ollamaAnswer() {
        return """
                {"model": "m", "message": {"role": "assistant", "content": "```python\\ndef add(a, b):\\n    return a + b\\n```"},
                 "done": true, "prompt_eval_count": 10, "eval_count": 10}
                """;
    }

    private int requestsFor(String model) {
        return modelAndScoringStandIn
                .findAll(postRequestedFor(urlEqualTo("/api/chat"))
                        .withRequestBody(matchingJsonPath("$.model", equalTo(model))))
                .size();
    }

    private double cancelledCount() {
        Counter counter = meterRegistry
                .find("evalfleet.worker.tasks")
                .tag("outcome", "cancelled")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private void cancel(UUID jobId) {
        rabbitTemplate.convertAndSend(
                properties.topology().controlExchange(), "", new JobCancelled(jobId, Instant.now()));
    }

    private void publish(TaskMessage task) {
        rabbitTemplate.convertAndSend(
                properties.topology().taskExchange(), properties.topology().taskRoutingKey(), task);
    }

    private TaskResult awaitResultOf(TaskMessage task) {
        return awaitResultsOf(task).getFirst();
    }

    private List<TaskResult> awaitResultsOf(TaskMessage... tasks) {
        List<UUID> wanted =
                java.util.Arrays.stream(tasks).map(TaskMessage::taskId).toList();
        List<TaskResult> found = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            receivedResults().stream()
                    .filter(result -> wanted.contains(result.taskId()))
                    .forEach(found::add);
            return found.size() == wanted.size();
        });
        return found;
    }

    /** Every result waiting in the test's result queue, taken off it. */
    private List<TaskResult> receivedResults() {
        List<TaskResult> results = new ArrayList<>();
        TaskResult result;
        while ((result = rabbitTemplate.receiveAndConvert(
                        resultQueue.getName(), new ParameterizedTypeReference<TaskResult>() {}))
                != null) {
            results.add(result);
        }
        return results;
    }

    /**
     * Stops the consumers and drops every channel: a delivery that was never acknowledged would now
     * go back to the queue, so an empty queue proves the acknowledgement.
     */
    private void awaitTaskQueueEmpty() {
        listenerRegistry.getListenerContainer(TaskListener.LISTENER_ID).stop();
        connectionFactory.resetConnection();
        try {
            await().during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> {
                        var info = amqpAdmin.getQueueInfo(properties.topology().taskQueue());
                        return info != null && info.getMessageCount() == 0;
                    });
        } finally {
            listenerRegistry.getListenerContainer(TaskListener.LISTENER_ID).start();
        }
    }

    private static TaskMessage task(String endpoint, String model, int samples) {
        ProblemPayload problem = new ProblemPayload(
                "Test/add",
                ProblemFormat.HUMAN_EVAL,
                "def add(a: int, b: int) -> int:\n    \"\"\"Return the sum of a and b.\"\"\"\n",
                "add",
                TestSuite.humanEval("def check(candidate):\n    assert candidate(2, 3) == 5\n", "add"),
                "    return a + b\n");
        return new TaskMessage(
                UUID.randomUUID(),
                UUID.randomUUID(),
                endpoint,
                model,
                samples,
                new GenerationSettings(0.0, null, 64, 1L, List.of()),
                5.0,
                problem,
                null,
                null);
    }
}
