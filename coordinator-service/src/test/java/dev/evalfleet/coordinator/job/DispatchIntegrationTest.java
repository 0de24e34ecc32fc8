package dev.evalfleet.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.contracts.EndpointFeedback;
import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.SampleResult;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.contracts.WorkerHeartbeat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Paced dispatch against the real PostgreSQL and RabbitMQ: the test stands in for the workers, which
 * announce the endpoint's capacity, take tasks off the real queue and report feedback and results.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class DispatchIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    private Api api;
    private String datasetId;
    private final String endpoint = "paced-" + UUID.randomUUID();

    @BeforeEach
    void startWithAnEmptyQueue() throws Exception {
        api = new Api("http://localhost:" + port, json);
        new StandInWorker(rabbit, endpoint).drainTasks();
        datasetId = api.importSampleDataset();
    }

    @Test
    void moreWorkersThanCapacityNeverHaveMoreRequestsInFlightThanTheEndpointServes() throws Exception {
        announce(3, "w1", "w2", "w3", "w4", "w5");
        String job = startJob(12, 1, 0);

        List<TaskMessage> first = takeAll();
        assertThat(first).hasSize(3);

        report(first.get(0));
        assertThat(takeAll()).as("a result frees its slot for one task").hasSize(1);

        feedback(first.get(1), 1);
        assertThat(takeAll())
                .as("a request reported done frees its slot before the result")
                .hasSize(1);

        JsonNode view = api.get("/api/jobs/" + job).body();
        assertThat(view.get("endpointCapacity").get("configured").asInt()).isEqualTo(3);
        assertThat(view.get("endpointCapacity").get("effective").asInt()).isEqualTo(3);
    }

    @Test
    void jobsOfEqualPriorityTakeTurnsAndAHigherPriorityGoesFirst() throws Exception {
        announce(1, "w1");
        String big = startJob(12, 1, 0);
        TaskMessage running = takeAll().getFirst();
        String small = startJob(3, 1, 0);

        List<String> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            report(running);
            running = takeOne();
            order.add(running.jobId().toString());
        }
        assertThat(order).containsExactly(small, big, small, big, small, big);

        String urgent = startJob(2, 1, 5);
        report(running);
        assertThat(takeOne().jobId().toString()).isEqualTo(urgent);
    }

    @Test
    void jobsShareTheSlotsNotTurns() throws Exception {
        announce(8, "w1");
        startJob(12, 4, 0);
        List<TaskMessage> wide = takeAll();
        assertThat(wide).as("two four-sample tasks fill eight slots").hasSize(2);
        String narrow = startJob(10, 1, 0);
        assertThat(takeAll()).isEmpty();

        report(wide.getFirst());
        assertThat(takeAll())
                .as("the four freed slots go to the job holding none, one-sample task by task")
                .hasSize(4)
                .allSatisfy(task -> assertThat(task.jobId().toString()).isEqualTo(narrow));
    }

    @Test
    void cancellingAJobStopsItsDispatchAtOnce() throws Exception {
        announce(2, "w1");
        String job = startJob(12, 1, 0);
        List<TaskMessage> inFlight = takeAll();
        assertThat(inFlight).hasSize(2);

        assertThat(api.post("/api/jobs/" + job + "/cancel", "").status()).isEqualTo(200);
        report(inFlight.get(0));
        report(inFlight.get(1));

        assertThat(takeAll()).as("nothing more of the cancelled job").isEmpty();
        assertThat(jdbc.sql("""
                        select count(*) from outbox_message o join task t on t.id = o.task_id
                        where t.job_id = :job::uuid and o.published_at is null
                        """).param("job", job).query(Long.class).single()).isZero();
    }

    @Test
    void pushbackHalvesTheEffectiveCapacityAndAnswersGrowItBack() throws Exception {
        announce(8, "w1");
        String job = startJob(1, 1, 0);
        TaskMessage task = takeOne();

        pushback();
        await().until(() -> effective(job) == 4);
        pushback();
        await().until(() -> jdbc.sql("select pushbacks from endpoint_capacity where endpoint = :endpoint")
                        .param("endpoint", endpoint)
                        .query(Long.class)
                        .single()
                == 2);
        assertThat(effective(job)).as("one halving per cooldown").isEqualTo(4);

        // each answer adds 1/effective: from 4, five answers make 5.13
        for (int i = 0; i < 5; i++) {
            answered(task);
        }
        await().until(() -> effective(job) == 5);
        for (int i = 0; i < 30; i++) {
            answered(task);
        }
        await().until(() -> effective(job) == 8);
    }

    @Test
    void aJobOnAnEndpointWithoutLiveWorkersWaitsAndAnUnknownOneIsRefused() throws Exception {
        rabbit.convertAndSend(
                Messaging.WORKER_EXCHANGE,
                "",
                heartbeat("gone-worker", 2, Instant.now().minus(Duration.ofMinutes(10))));
        AtomicReference<String> created = new AtomicReference<>();
        await().until(() -> {
            Api.Response response = api.post("/api/jobs", body(1, 1, 0));
            created.set(response.status() == 202 ? response.body().get("id").asString() : null);
            return created.get() != null;
        });
        String job = created.get();
        assertThat(api.get("/api/jobs/" + job).body().get("waiting").asString())
                .contains("no live worker serves endpoint");
        assertThat(takeAll())
                .as("no task goes out while nobody serves the endpoint")
                .isEmpty();

        announce(2, "w1");
        assertThat(takeOne().jobId().toString()).isEqualTo(job);

        Api.Response unknown = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "never-seen-%s", "model": "m"}""".formatted(datasetId, UUID.randomUUID()));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().get("errors").get(0).get("field").asString()).isEqualTo("endpoint");
    }

    private int effective(String job) throws Exception {
        return api.get("/api/jobs/" + job)
                .body()
                .get("endpointCapacity")
                .get("effective")
                .asInt();
    }

    private void announce(int capacity, String... workers) {
        for (String worker : workers) {
            rabbit.convertAndSend(
                    Messaging.WORKER_EXCHANGE, "", heartbeat(worker + "-" + endpoint, capacity, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/api/endpoints").toString().contains(endpoint));
    }

    private WorkerHeartbeat heartbeat(String worker, int capacity, Instant at) {
        return new WorkerHeartbeat(
                worker,
                "localhost",
                "test",
                List.of(new EndpointDescriptor(endpoint, "ollama", capacity, capacity)),
                64,
                0,
                0,
                at,
                at);
    }

    private String startJob(int problems, int samples, int priority) throws Exception {
        Api.Response created = api.post("/api/jobs", body(problems, samples, priority));
        assertThat(created.status()).isEqualTo(202);
        return created.body().get("id").asString();
    }

    private String body(int problems, int samples, int priority) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < problems; i++) {
            ids.add("\"Sample/" + i + "\"");
        }
        return """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "samplesPerProblem": %d, "priority": %d,
                 "problems": %s}""".formatted(datasetId, endpoint, samples, priority, ids);
    }

    /** Every task that arrives while the queue keeps delivering, until it is quiet for a second. */
    private List<TaskMessage> takeAll() {
        List<TaskMessage> tasks = new ArrayList<>();
        for (Message message = rabbit.receive(Messaging.TASK_QUEUE, 1000);
                message != null;
                message = rabbit.receive(Messaging.TASK_QUEUE, 1000)) {
            tasks.add(json.readValue(new String(message.getBody(), StandardCharsets.UTF_8), TaskMessage.class));
        }
        return tasks;
    }

    private TaskMessage takeOne() {
        List<TaskMessage> taken = new StandInWorker(rabbit, endpoint).takeTasks(json, 1);
        return taken.getFirst();
    }

    private void report(TaskMessage task) {
        List<SampleResult> samples = new ArrayList<>();
        for (int i = 0; i < task.samples(); i++) {
            samples.add(new SampleResult(i, "raw", "    return 1\n", Verdict.PASSED, 1, 1, "", 5, 10, 1, 1));
        }
        new StandInWorker(rabbit, endpoint)
                .report(new TaskResult(
                        UUID.randomUUID(),
                        task.taskId(),
                        task.jobId(),
                        "w1",
                        TaskResult.Outcome.COMPLETED,
                        null,
                        samples));
    }

    private void feedback(TaskMessage task, int requestsDone) {
        rabbit.convertAndSend(
                Messaging.ENDPOINT_FEEDBACK_EXCHANGE,
                Messaging.ENDPOINT_FEEDBACK_ROUTING_KEY,
                new EndpointFeedback(endpoint, task.taskId(), task.jobId(), requestsDone, 1, 0, "w1", Instant.now()));
    }

    private void answered(TaskMessage task) {
        rabbit.convertAndSend(
                Messaging.ENDPOINT_FEEDBACK_EXCHANGE,
                Messaging.ENDPOINT_FEEDBACK_ROUTING_KEY,
                new EndpointFeedback(endpoint, task.taskId(), task.jobId(), 0, 1, 0, "w1", Instant.now()));
    }

    private void pushback() {
        rabbit.convertAndSend(
                Messaging.ENDPOINT_FEEDBACK_EXCHANGE,
                Messaging.ENDPOINT_FEEDBACK_ROUTING_KEY,
                new EndpointFeedback(endpoint, null, null, 0, 0, 1, "w1", Instant.now()));
    }
}
