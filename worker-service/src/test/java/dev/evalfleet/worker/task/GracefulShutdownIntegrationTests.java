package dev.evalfleet.worker.task;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.worker.WorkerApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A worker stopped while it holds a task (what SIGTERM does: the application context closes) loses
 * nothing: the task either finishes and its result is published, or it goes back to the queue. Each
 * test starts and stops a worker of its own, against the real local RabbitMQ, with WireMock standing
 * in for a slow model server and for the scoring service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GracefulShutdownIntegrationTests {

    private final WireMockServer modelAndScoringStandIn =
            new WireMockServer(wireMockConfig().dynamicPort());
    private final CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", 5672);
    private final RabbitAdmin admin = new RabbitAdmin(connectionFactory);
    private final RabbitTemplate rabbitTemplate = new RabbitTemplate(connectionFactory);
    private final JsonMapper jsonMapper = JsonMapper.builder().build();
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();
    private ConfigurableApplicationContext worker;

    @BeforeAll
    void start() {
        connectionFactory.setUsername("guest");
        connectionFactory.setPassword("guest");
        rabbitTemplate.setMessageConverter(new JacksonJsonMessageConverter());
        modelAndScoringStandIn.start();
        // The worker takes EVALFLEET_SCORING_TOKEN from the test JVM's environment (set by the POM).
        modelAndScoringStandIn.stubFor(post("/api/executions")
                .withHeader("Authorization", equalTo("Bearer " + System.getenv("EVALFLEET_SCORING_TOKEN")))
                .willReturn(okJson("""
                {"verdict": "PASSED", "testsPassed": 1, "testsTotal": 1, "tests": [], "feedback": "",
                 "executionMillis": 3, "sandbox": "stand-in"}
                """)));
    }

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.close();
        }
        modelAndScoringStandIn.resetRequests();
    }

    @AfterAll
    void deleteTestTopology() {
        queues.forEach(admin::deleteQueue);
        exchanges.forEach(admin::deleteExchange);
        connectionFactory.destroy();
        modelAndScoringStandIn.stop();
    }

    @Test
    void taskStillRunningAtTheShutdownTimeoutGoesBackToTheQueue() {
        Topology topology = startWorker(Duration.ofSeconds(1), Duration.ofSeconds(30));
        TaskMessage task = task();
        publish(topology, task);
        await().atMost(Duration.ofSeconds(10)).until(this::modelWasAsked);

        long start = System.nanoTime();
        worker.close();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        await().atMost(Duration.ofSeconds(10)).until(() -> readyMessages(topology.taskQueue()) == 1);
        assertThat(receiveResult(topology)).isNull();
    }

    @Test
    void taskFinishingWithinTheShutdownTimeoutPublishesItsResultAndIsAcknowledged() {
        Topology topology = startWorker(Duration.ofSeconds(20), Duration.ofSeconds(2));
        TaskMessage task = task();
        publish(topology, task);
        await().atMost(Duration.ofSeconds(10)).until(this::modelWasAsked);

        worker.close();

        TaskResult result = receiveResult(topology);
        assertThat(result).isNotNull();
        assertThat(result.taskId()).isEqualTo(task.taskId());
        assertThat(result.outcome()).isEqualTo(TaskResult.Outcome.COMPLETED);
        // The worker is gone with its channels: an unacknowledged task would be back by now.
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> readyMessages(topology.taskQueue()) == 0);
    }

    private Topology startWorker(Duration shutdownTimeout, Duration modelDelay) {
        String suffix = UUID.randomUUID().toString();
        Topology topology = new Topology(
                "test.evalfleet.tasks." + suffix,
                "test.evalfleet.results." + suffix,
                "test.evalfleet.results.received." + suffix);
        modelAndScoringStandIn.stubFor(
                post("/api/chat").willReturn(okJson("""
                {"model": "m", "message": {"role": "assistant", "content": "    return a + b\\n"}, "done": true}
                """).withFixedDelay((int) modelDelay.toMillis())));
        String standIn = "http://127.0.0.1:" + modelAndScoringStandIn.port();
        // Command-line arguments, so they win over application.yml as a deployment's settings would.
        worker = new SpringApplicationBuilder(WorkerApplication.class)
                .run(
                        "--server.port=0",
                        "--evalfleet.worker.id=it-shutdown-" + suffix,
                        "--evalfleet.worker.scoring.url=" + standIn,
                        "--evalfleet.worker.tasks.concurrency=1",
                        "--evalfleet.worker.tasks.shutdown-timeout=" + shutdownTimeout.toMillis() + "ms",
                        "--evalfleet.worker.topology.task-exchange=" + topology.taskExchange(),
                        "--evalfleet.worker.topology.task-queue=" + topology.taskQueue(),
                        "--evalfleet.worker.topology.result-exchange=" + topology.resultExchange(),
                        "--evalfleet.worker.topology.worker-exchange=test.evalfleet.workers." + suffix,
                        "--evalfleet.worker.topology.control-exchange=test.evalfleet.control." + suffix,
                        "--evalfleet.worker.endpoints[0].name=ollama",
                        "--evalfleet.worker.endpoints[0].provider=ollama",
                        "--evalfleet.worker.endpoints[0].base-url=" + standIn,
                        "--evalfleet.worker.endpoints[0].request-timeout=1m");
        queues.add(topology.taskQueue());
        queues.add(topology.resultQueue());
        exchanges.addAll(List.of(
                topology.taskExchange(),
                topology.resultExchange(),
                "test.evalfleet.workers." + suffix,
                "test.evalfleet.control." + suffix));
        Queue results = new Queue(topology.resultQueue(), false, false, false);
        admin.declareQueue(results);
        admin.declareBinding(BindingBuilder.bind(results)
                .to(new DirectExchange(topology.resultExchange()))
                .with("result"));
        return topology;
    }

    private boolean modelWasAsked() {
        return !modelAndScoringStandIn
                .findAll(postRequestedFor(urlEqualTo("/api/chat")))
                .isEmpty();
    }

    private void publish(Topology topology, TaskMessage task) {
        rabbitTemplate.convertAndSend(topology.taskExchange(), "task", task);
    }

    private TaskResult receiveResult(Topology topology) {
        Message message = rabbitTemplate.receive(topology.resultQueue(), 2_000);
        return message == null ? null : jsonMapper.readValue(message.getBody(), TaskResult.class);
    }

    private long readyMessages(String queue) {
        var info = admin.getQueueInfo(queue);
        return info == null ? -1 : info.getMessageCount();
    }

    private static TaskMessage task() {
        ProblemPayload problem = new ProblemPayload(
                "Test/add",
                ProblemFormat.HUMAN_EVAL,
                "def add(a: int, b: int) -> int:\n",
                "add",
                TestSuite.humanEval("def check(candidate):\n    assert candidate(2, 3) == 5\n", "add"),
                "    return a + b\n");
        return new TaskMessage(
                UUID.randomUUID(),
                UUID.randomUUID(),
                "ollama",
                "m",
                1,
                new GenerationSettings(0.0, null, 64, 1L, List.of()),
                5.0,
                problem,
                null,
                null);
    }

    private record Topology(String taskExchange, String resultExchange, String resultQueue) {

        String taskQueue() {
            return taskExchange;
        }
    }
}
