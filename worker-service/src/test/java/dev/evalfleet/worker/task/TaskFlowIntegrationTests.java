package dev.evalfleet.worker.task;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.TimeLimit;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.contracts.WorkerHeartbeat;
import dev.evalfleet.worker.WorkerProperties;
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
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * The whole task flow against the real local RabbitMQ: a task published to the task exchange comes
 * back as a result on the result exchange, and the task is acknowledged. Exchanges and queues get
 * unique test names so nothing here touches the shared ones. The scoring service belongs to
 * another module and is replaced by a WireMock stand-in; the system tests run the real one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class TaskFlowIntegrationTests {

    private static final String SUFFIX = UUID.randomUUID().toString();
    private static final String WORKER_ID = "it-worker-" + SUFFIX;
    private static final WireMockServer scoringServiceStandIn =
            new WireMockServer(wireMockConfig().dynamicPort());

    @DynamicPropertySource
    static void isolatedTopologyAndScoringStandIn(DynamicPropertyRegistry registry) {
        scoringServiceStandIn.start();
        registry.add("evalfleet.worker.id", () -> WORKER_ID);
        registry.add("evalfleet.worker.scoring.url", () -> "http://127.0.0.1:" + scoringServiceStandIn.port());
        registry.add("evalfleet.worker.topology.task-exchange", () -> "test.evalfleet.tasks." + SUFFIX);
        registry.add("evalfleet.worker.topology.task-queue", () -> "test.evalfleet.tasks." + SUFFIX);
        registry.add("evalfleet.worker.topology.result-exchange", () -> "test.evalfleet.results." + SUFFIX);
        registry.add("evalfleet.worker.topology.worker-exchange", () -> "test.evalfleet.workers." + SUFFIX);
        registry.add("evalfleet.worker.topology.control-exchange", () -> "test.evalfleet.control." + SUFFIX);
        registry.add("evalfleet.worker.heartbeat.interval", () -> "300ms");
        registry.add("evalfleet.worker.retry.backoff", () -> "10ms");
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

    @Value("${local.server.port}")
    private int managementPort;

    private final Queue resultQueue = new Queue("test.evalfleet.results.received." + SUFFIX, false, false, true);
    private final Queue heartbeatQueue = new Queue("test.evalfleet.heartbeats.received." + SUFFIX, false, false, true);

    @BeforeAll
    void bindTestQueues() {
        amqpAdmin.declareQueue(resultQueue);
        amqpAdmin.declareBinding(BindingBuilder.bind(resultQueue)
                .to(new DirectExchange(properties.topology().resultExchange()))
                .with(properties.topology().resultRoutingKey()));
        amqpAdmin.declareQueue(heartbeatQueue);
        amqpAdmin.declareBinding(BindingBuilder.bind(heartbeatQueue)
                .to(new FanoutExchange(properties.topology().workerExchange())));
        // Answers only a caller with the scoring token, as the scoring service does.
        scoringServiceStandIn.stubFor(post("/api/executions")
                .withHeader(
                        "Authorization",
                        equalTo("Bearer " + properties.scoring().token()))
                .willReturn(okJson("""
                {"verdict": "PASSED", "testsPassed": 7, "testsTotal": 7, "tests": [], "feedback": "",
                 "executionMillis": 12, "sandbox": "stand-in", "passedBase": true,
                 "timeLimit": {"rule": "calibrated", "seconds": 4.0, "referenceSeconds": 0.25}}
                """)));
    }

    @AfterAll
    void deleteTestTopology() {
        listenerRegistry.stop();
        WorkerProperties.Topology topology = properties.topology();
        amqpAdmin.deleteQueue(resultQueue.getName());
        amqpAdmin.deleteQueue(heartbeatQueue.getName());
        amqpAdmin.deleteQueue(topology.taskQueue());
        amqpAdmin.deleteExchange(topology.taskExchange());
        amqpAdmin.deleteExchange(topology.resultExchange());
        amqpAdmin.deleteExchange(topology.workerExchange());
        amqpAdmin.deleteExchange(topology.controlExchange());
        scoringServiceStandIn.stop();
    }

    @Test
    void referenceTaskComesBackAsPassedResultAndIsAcknowledged() {
        TaskMessage task = referenceTask("reference");

        publish(task);
        TaskResult result = awaitResultOf(task);

        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.COMPLETED);
        assertThat(result.workerId()).isEqualTo(WORKER_ID);
        assertThat(result.jobId()).isEqualTo(task.jobId());
        assertThat(result.messageId()).isNotNull();
        assertThat(result.samples()).hasSize(2).allSatisfy(sample -> {
            assertThat(sample.verdict()).isEqualTo(Verdict.PASSED);
            assertThat(sample.completion()).isEqualTo(task.problem().referenceSolution());
            assertThat(sample.testsPassed()).isEqualTo(7);
            assertThat(sample.passedBase()).as("copied from the scoring result").isTrue();
            assertThat(sample.timeLimit()).isEqualTo(new TimeLimit(TimeLimit.CALIBRATED, 4.0, 0.25));
        });
        assertThat(result.samples()).extracting("sampleIndex").containsExactly(0, 1);
        scoringServiceStandIn.verify(
                2,
                postRequestedFor(urlEqualTo("/api/executions"))
                        .withHeader(
                                "Authorization",
                                equalTo("Bearer " + properties.scoring().token()))
                        .withRequestBody(matchingJsonPath(
                                "$.program", equalTo(task.problem().prompt() + "    return a + b\n")))
                        .withRequestBody(matchingJsonPath("$.timeoutSeconds", equalTo("5.0")))
                        .withRequestBody(matchingJsonPath("$.tests.entryPoint", equalTo("add"))));
        assertTaskQueueEmptyAfterConsumersLetGo();
    }

    @Test
    void calibratedTaskLeavesTheLimitToTheScoringService() {
        TaskMessage fixed = referenceTask("reference");
        TaskMessage calibrated = new TaskMessage(
                fixed.taskId(),
                fixed.jobId(),
                fixed.endpoint(),
                fixed.model(),
                1,
                fixed.generation(),
                0,
                fixed.problem(),
                null,
                null);

        publish(calibrated);
        TaskResult result = awaitResultOf(calibrated);

        assertThat(result.samples())
                .singleElement()
                .satisfies(sample -> assertThat(sample.timeLimit().rule()).isEqualTo(TimeLimit.CALIBRATED));
        scoringServiceStandIn.verify(postRequestedFor(urlEqualTo("/api/executions"))
                .withRequestBody(notMatching("(?s).*\"timeoutSeconds\"\\s*:\\s*[0-9].*")));
    }

    @Test
    void selfRepairNodesCarryTheirBaseVerdictAndTimeLimit() {
        TaskMessage single = referenceTask("reference");
        TaskMessage murphy = new TaskMessage(
                single.taskId(),
                single.jobId(),
                single.endpoint(),
                single.model(),
                2,
                single.generation(),
                // not the other tests' 5 s, whose requests are counted
                7.0,
                single.problem(),
                null,
                new RepairStrategy(RepairStrategy.MURPHY, 2, 2, 3, RepairStrategy.MARS, 0.9, RepairStrategy.FULL));

        publish(murphy);
        TaskResult result = awaitResultOf(murphy);

        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.COMPLETED);
        assertThat(result.samples()).hasSize(2).allSatisfy(node -> {
            assertThat(node.node()).isNotNull();
            assertThat(node.passedBase()).isTrue();
            assertThat(node.timeLimit()).isEqualTo(new TimeLimit(TimeLimit.CALIBRATED, 4.0, 0.25));
        });
    }

    @Test
    void taskForAnUnknownEndpointComesBackFailedWithTheReason() {
        TaskMessage task = referenceTask("no-such-endpoint");

        publish(task);
        TaskResult result = awaitResultOf(task);

        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.FAILED);
        assertThat(result.failureReason()).contains("no-such-endpoint").contains("not served");
        assertThat(result.samples()).isEmpty();
    }

    @Test
    void heartbeatsAnnounceTheWorkerAndItsEndpoints() {
        WorkerHeartbeat heartbeat = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> rabbitTemplate.receiveAndConvert(
                                heartbeatQueue.getName(), new ParameterizedTypeReference<WorkerHeartbeat>() {}),
                        received -> received != null);

        assertThat(heartbeat.workerId()).isEqualTo(WORKER_ID);
        assertThat(heartbeat.capacity()).isEqualTo(properties.tasks().concurrency());
        assertThat(heartbeat.endpoints()).extracting("name").contains("reference", "ollama");
        assertThat(heartbeat.startedAt()).isNotNull();
    }

    @Test
    void actuatorExposesProbesAndTaskMetrics() {
        TaskMessage task = referenceTask("reference");
        publish(task);
        awaitResultOf(task);
        RestClient actuator = RestClient.create("http://127.0.0.1:" + managementPort + "/actuator");

        String prometheus = actuator.get().uri("/prometheus").retrieve().body(String.class);

        assertThat(prometheus)
                .contains("evalfleet_worker_tasks_total{outcome=\"completed\"")
                .contains("evalfleet_worker_model_latency_seconds_count{endpoint=\"reference\"")
                .contains("evalfleet_worker_scoring_latency_seconds_count")
                .contains("evalfleet_worker_model_circuit_state{endpoint=\"ollama\",state=\"closed\"} 1");
        assertThat(actuator.get().uri("/health/readiness").retrieve().body(String.class))
                .contains("UP");
        assertThat(actuator.get().uri("/health").retrieve().body(String.class))
                .contains("\"modelEndpoints\"")
                .contains("\"circuitBreaker\":\"CLOSED\"");
    }

    private void publish(TaskMessage task) {
        rabbitTemplate.convertAndSend(
                properties.topology().taskExchange(), properties.topology().taskRoutingKey(), task);
    }

    private TaskResult awaitResultOf(TaskMessage task) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> rabbitTemplate.receiveAndConvert(
                                resultQueue.getName(), new ParameterizedTypeReference<TaskResult>() {}),
                        result -> result != null && result.taskId().equals(task.taskId()));
    }

    /**
     * Stops the consumers and drops every channel: a delivery that was never acknowledged would now
     * go back to the queue, so an empty queue proves the acknowledgement.
     */
    private void assertTaskQueueEmptyAfterConsumersLetGo() {
        listenerRegistry.getListenerContainer(TaskListener.LISTENER_ID).stop();
        connectionFactory.resetConnection();
        try {
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> {
                var info = amqpAdmin.getQueueInfo(properties.topology().taskQueue());
                return info != null && info.getMessageCount() == 0;
            });
        } finally {
            listenerRegistry.getListenerContainer(TaskListener.LISTENER_ID).start();
        }
    }

    private static TaskMessage referenceTask(String endpoint) {
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
                "reference",
                2,
                new GenerationSettings(0.0, null, 64, 1L, List.of()),
                5.0,
                problem,
                null,
                null);
    }
}
