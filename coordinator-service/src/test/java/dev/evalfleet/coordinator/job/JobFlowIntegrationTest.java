package dev.evalfleet.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.JobCancelled;
import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.RepairNode;
import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.contracts.SampleResult;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.coordinator.sample.PassAtK;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator against the real PostgreSQL and RabbitMQ, with the test in the worker's place:
 * it takes the published tasks off the real task queue and answers with result messages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class JobFlowIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RabbitAdmin admin;

    private Api api;

    private StandInWorker worker;

    private final String endpoint = "reference-" + UUID.randomUUID();

    @BeforeEach
    void announceAWorkerAndDrainStaleTasks() {
        api = new Api("http://localhost:" + port, json);
        worker = StandInWorker.announced(rabbit, endpoint, api);
    }

    @Test
    void jobRunsFromSubmissionThroughPublishedTasksToPassAtKAndExports() throws Exception {
        String datasetId = api.importSampleDataset();
        Api.Response created = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "reference", "samplesPerProblem": 3,
                 "generation": {"temperature": 0.8, "seed": 7}}""".formatted(datasetId, endpoint));
        assertThat(created.status()).isEqualTo(202);
        String jobId = created.body().get("id").asString();
        assertThat(created.location()).isEqualTo("/api/jobs/" + jobId);

        List<TaskMessage> tasks = takeTasks(12);
        assertThat(tasks).allSatisfy(task -> {
            assertThat(task.jobId().toString()).isEqualTo(jobId);
            assertThat(task.samples()).isEqualTo(3);
            assertThat(task.timeoutSeconds())
                    .as("no timeoutSeconds: the scoring service calibrates the limit")
                    .isZero();
            assertThat(task.generation().seed()).isEqualTo(7L);
            assertThat(task.problem().referenceSolution())
                    .as("reference endpoints get the solution")
                    .isNotBlank();
            assertThat(task.problem().tests().checkProgram()).contains("def check(candidate)");
        });
        await().until(() ->
                api.get("/api/jobs/" + jobId).body().get("status").asString().equals("RUNNING"));

        // problem i gets c = i % 4 passing samples out of 3 (capped), as a worker would report
        Map<String, Integer> passedByProblem = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            int passed = Math.min(i % 4, 3);
            passedByProblem.put(tasks.get(i).problem().problemId(), passed);
            report(result(tasks.get(i), passed));
        }

        JsonNode job = await().until(
                        () -> api.get("/api/jobs/" + jobId).body(),
                        j -> j.get("status").asString().equals("COMPLETED"));
        assertThat(job.get("tasks").get("completed").asInt()).isEqualTo(12);
        assertThat(job.get("strategy").toString()).isEqualTo("{\"type\":\"single\"}");
        assertThat(job.get("timeoutSeconds").isNull()).isTrue();
        assertThat(job.get("timeLimit").get("rule").asString()).isEqualTo("calibrated");
        assertThat(job.has("passAtKBase")).as("the dataset has no plus inputs").isFalse();
        assertThat(job.get("samples").get("stored").asInt()).isEqualTo(36);
        double expectedPass1 = passedByProblem.values().stream()
                .mapToDouble(c -> PassAtK.estimate(3, c, 1))
                .average()
                .orElseThrow();
        double expectedPass2 = passedByProblem.values().stream()
                .mapToDouble(c -> PassAtK.estimate(3, c, 2))
                .average()
                .orElseThrow();
        assertThat(job.get("passAtK").get("1").asDouble())
                .isCloseTo(expectedPass1, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(job.get("passAtK").get("2").asDouble())
                .isCloseTo(expectedPass2, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(job.get("passAtK").has("5")).as("n = 3 < 5").isFalse();

        List<CSVRecord> rows = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(api.getText("/api/jobs/" + jobId + "/results.csv")))
                .getRecords();
        assertThat(rows).hasSize(36);
        assertThat(rows.getFirst().get("task_id")).isEqualTo("Sample/0");
        assertThat(rows)
                .filteredOn(r -> r.get("verdict").equals("passed"))
                .hasSize(passedByProblem.values().stream().mapToInt(i -> i).sum());
        String sample0Solution = tasks.stream()
                .filter(t -> t.problem().problemId().equals("Sample/0"))
                .findFirst()
                .orElseThrow()
                .problem()
                .referenceSolution();
        assertThat(rows.getFirst().get("completion"))
                .as("code with newlines and quotes survives CSV quoting")
                .isEqualTo(sample0Solution);

        List<String> lines =
                api.getText("/api/jobs/" + jobId + "/samples.jsonl").lines().toList();
        assertThat(lines).hasSize(36);
        JsonNode first = json.readTree(lines.getFirst());
        assertThat(first.propertyNames()).containsExactly("task_id", "completion", "result", "passed");
    }

    @Test
    void murphyJobCarriesItsStrategyStoresTreesAndReportsByIteration() throws Exception {
        String datasetId = api.importSampleDataset();
        String jobId = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "problems": ["Sample/0", "Sample/1"],
                 "strategy": {"type": "murphy", "candidates": 2, "feedback": "full"}}""".formatted(datasetId, endpoint))
                .body()
                .get("id")
                .asString();
        List<TaskMessage> tasks = takeTasks(2);
        assertThat(tasks)
                .allSatisfy(task -> assertThat(task.strategy())
                        .isEqualTo(new RepairStrategy("murphy", 2, 2, 3, "mars", 0.9, "full")));
        // Sample/0: both candidates fail, node 0's repair (node 2) passes; Sample/1: node 0 passes at once
        report(treeResult(
                tasks.get(0),
                List.of(
                        node(0, 1, null, 0.0, false, 1.0),
                        node(1, 1, null, 0.5, false, 0.5),
                        node(2, 2, 0, 1.0, true, 1.0),
                        node(3, 2, 1, 0.5, false, 0.5))));
        report(treeResult(
                tasks.get(1),
                List.of(
                        node(0, 1, null, 1.0, true, 1.0),
                        node(1, 1, null, 0.0, false, 0.0),
                        node(2, 2, 1, 0.0, false, 0.0))));

        JsonNode job = await().until(
                        () -> api.get("/api/jobs/" + jobId).body(),
                        j -> j.get("status").asString().equals("COMPLETED"));
        assertThat(job.get("strategy").get("type").asString()).isEqualTo("murphy");
        assertThat(job.get("passAtK").isEmpty()).isTrue();
        JsonNode repair = job.get("repair");
        assertThat(repair.get("oracleFeedback").asBoolean()).isTrue();
        assertThat(repair.get("label").asString()).startsWith("oracle feedback");
        // after turn 1: Sample/0 returns node 1 (best reward 0.5, fails), Sample/1 node 0 (passes)
        assertThat(repair.get("passAt1ByIteration").get("1").asDouble()).isEqualTo(0.5);
        assertThat(repair.get("passAt1ByIteration").get("2").asDouble()).isEqualTo(1.0);
        assertThat(repair.get("chainPassRateByIteration").get("1").asDouble()).isEqualTo(0.25);
        assertThat(repair.get("chainPassRateByIteration").get("2").asDouble()).isEqualTo(0.5);
        assertThat(repair.get("solvedAnywhereUpperBound").asDouble()).isEqualTo(1.0);
        assertThat(repair.get("modelCallsByTurn").get("1").asLong()).isEqualTo(4);
        assertThat(repair.get("modelCallsByTurn").get("2").asLong()).isEqualTo(3);
        assertThat(repair.get("tokensByTurn").get("2").asLong()).isEqualTo(3 * 30);
        assertThat(repair.get("modelCallsPerProblem").asDouble()).isEqualTo(3.5);

        JsonNode tree = api.get("/api/jobs/" + jobId + "/tree?problem=Sample/0").body();
        assertThat(api.get("/api/jobs/" + jobId + "/problems/Sample%2F0/tree").body())
                .as("the path form, with the task id's slash encoded")
                .isEqualTo(tree);
        assertThat(tree.get("label").asString()).startsWith("oracle feedback");
        assertThat(tree.get("nodes")).hasSize(4);
        JsonNode root = tree.get("nodes").get(0);
        assertThat(root.get("children").get(0).asInt()).isEqualTo(2);
        assertThat(root.get("creditMars").asDouble()).isEqualTo(1.0);
        assertThat(root.get("credit").asDouble()).isEqualTo(1.0);
        assertThat(root.get("prompt").asString()).isEqualTo("prompt of node 0");
        assertThat(tree.get("nodes").get(2).get("parentId").asInt()).isZero();
        assertThat(tree.get("nodes").get(2).get("hiddenVerdict").asString()).isEqualTo("PASSED");
        assertThat(api.get("/api/jobs/" + jobId + "/tree?problem=Sample/9").status())
                .isEqualTo(404);

        List<CSVRecord> rows = csvRows(jobId);
        assertThat(rows).hasSize(7);
        assertThat(rows)
                .allSatisfy(row -> assertThat(row.get("feedback_source")).isEqualTo("full (oracle feedback)"));
        assertThat(rows.get(2).get("turn")).isEqualTo("2");
        assertThat(rows.get(2).get("node_id")).isEqualTo("2");
        assertThat(rows.get(2).get("parent_id")).isEqualTo("0");
    }

    private static SampleResult node(int index, int turn, Integer parent, double reward, boolean passed, double mars) {
        return new SampleResult(
                index,
                "raw " + index,
                "    return 1\n",
                passed ? Verdict.PASSED : Verdict.FAILED,
                passed ? 1 : 0,
                1,
                passed ? "" : "Test 1 of 1 failed",
                5,
                7,
                10,
                20,
                new RepairNode(
                        turn,
                        parent,
                        "prompt of node " + index,
                        reward,
                        (int) (reward * 2),
                        2,
                        reward < 1 ? "feedback" : "",
                        mars,
                        reward,
                        true));
    }

    private static TaskResult treeResult(TaskMessage task, List<SampleResult> nodes) {
        return new TaskResult(
                UUID.randomUUID(), task.taskId(), task.jobId(), "w", TaskResult.Outcome.COMPLETED, null, nodes);
    }

    @Test
    void redeliveredResultIsStoredOnce() throws Exception {
        String datasetId = api.importSampleDataset();
        String jobId = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "problems": ["Sample/3"], "samplesPerProblem": 2}""".formatted(datasetId, endpoint))
                .body()
                .get("id")
                .asString();
        TaskMessage task = takeTasks(1).getFirst();
        TaskResult result = result(task, 1);
        report(result);
        report(result);
        report(new TaskResult(
                UUID.randomUUID(),
                task.taskId(),
                task.jobId(),
                "another-worker",
                result.outcome(),
                null,
                result.samples()));
        await().until(() ->
                api.get("/api/jobs/" + jobId).body().get("status").asString().equals("COMPLETED"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> sampleRows(task.taskId()) == 2);
        assertThat(api.get("/api/jobs/" + jobId).body().get("passAtK").get("1").asDouble())
                .isEqualTo(0.5);
    }

    @Test
    void failedTaskIsReportedAndTheJobStillFinishes() throws Exception {
        String datasetId = api.importSampleDataset();
        String jobId = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "problems": ["Sample/1", "Sample/2"]}""".formatted(datasetId, endpoint))
                .body()
                .get("id")
                .asString();
        List<TaskMessage> tasks = takeTasks(2);
        report(result(tasks.get(0), 1));
        report(failure(tasks.get(1), "model server unreachable"));
        JsonNode job = await().until(
                        () -> api.get("/api/jobs/" + jobId).body(),
                        j -> j.get("status").asString().equals("COMPLETED"));
        assertThat(job.get("tasks").get("failed").asInt()).isEqualTo(1);
        assertThat(job.get("failedTasks").get(0).get("reason").asString()).isEqualTo("model server unreachable");
        assertThat(job.get("passAtK").isEmpty())
                .as("a problem without samples has no pass@k")
                .isTrue();
        List<CSVRecord> rows = csvRows(jobId);
        assertThat(rows).hasSize(2);
        assertThat(rows)
                .filteredOn(r -> r.get("verdict").equals("task_failed"))
                .singleElement()
                .satisfies(r -> assertThat(r.get("failure_reason")).isEqualTo("model server unreachable"));
    }

    @Test
    void retryFailedRequeuesOnlyTheFailedTasks() throws Exception {
        String datasetId = api.importSampleDataset();
        String jobId = api.post("/api/jobs", jobBody(datasetId, "[\"Sample/4\", \"Sample/5\"]"))
                .body()
                .get("id")
                .asString();
        List<TaskMessage> tasks = takeTasks(2);
        report(result(tasks.get(0), 1));
        report(failure(tasks.get(1), "timeout"));
        await().until(() ->
                api.get("/api/jobs/" + jobId).body().get("status").asString().equals("COMPLETED"));

        Api.Response retried = api.post("/api/jobs/" + jobId + "/retry-failed", "");
        assertThat(retried.status()).isEqualTo(202);
        TaskMessage again = takeTasks(1).getFirst();
        assertThat(again.taskId()).isEqualTo(tasks.get(1).taskId());
        report(result(again, 1));
        JsonNode job = await().until(
                        () -> api.get("/api/jobs/" + jobId).body(),
                        j -> j.get("status").asString().equals("COMPLETED")
                                && j.get("tasks").get("failed").asInt() == 0);
        assertThat(job.get("tasks").get("completed").asInt()).isEqualTo(2);
        assertThat(job.get("passAtK").get("1").asDouble()).isEqualTo(1.0);
        assertThat(api.post("/api/jobs/" + jobId + "/retry-failed", "").status())
                .as("nothing left to retry")
                .isEqualTo(409);
    }

    @Test
    void cancelledJobKeepsFinishedSamplesAndTellsTheWorkers() throws Exception {
        Queue control = admin.declareQueue();
        admin.declareBinding(BindingBuilder.bind(control).to(new FanoutExchange(Messaging.CONTROL_EXCHANGE)));
        String datasetId = api.importSampleDataset();
        String jobId = api.post("/api/jobs", jobBody(datasetId, "[\"Sample/6\", \"Sample/7\", \"Sample/8\"]"))
                .body()
                .get("id")
                .asString();
        List<TaskMessage> tasks = takeTasks(3);
        report(result(tasks.get(0), 1));
        await().until(() -> api.get("/api/jobs/" + jobId)
                        .body()
                        .get("tasks")
                        .get("completed")
                        .asInt()
                == 1);

        Api.Response cancelled = api.post("/api/jobs/" + jobId + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.body().get("tasks").get("cancelled").asInt()).isEqualTo(2);
        Message broadcast = await().until(() -> rabbit.receive(control.getName(), 200), java.util.Objects::nonNull);
        assertThat(json.readValue(broadcast.getBody(), JobCancelled.class)
                        .jobId()
                        .toString())
                .isEqualTo(jobId);

        report(result(tasks.get(1), 1));
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> sampleRows(tasks.get(1).taskId()) == 0);
        assertThat(api.get("/api/jobs/" + jobId)
                        .body()
                        .get("samples")
                        .get("stored")
                        .asInt())
                .as("partial results kept")
                .isEqualTo(1);
        assertThat(api.post("/api/jobs/" + jobId + "/cancel", "").status()).isEqualTo(409);
        admin.deleteQueue(control.getName());
    }

    private List<CSVRecord> csvRows(String jobId) throws Exception {
        return CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(api.getText("/api/jobs/" + jobId + "/results.csv")))
                .getRecords();
    }

    @Test
    void jobsAreListedNewestFirst() throws Exception {
        String datasetId = api.importSampleDataset();
        String older = api.post("/api/jobs", jobBody(datasetId, "[\"Sample/0\"]"))
                .body()
                .get("id")
                .asString();
        String newer = api.post("/api/jobs", jobBody(datasetId, "[\"Sample/1\"]"))
                .body()
                .get("id")
                .asString();
        JsonNode page = api.get("/api/jobs?size=2").body();
        assertThat(page.get("items").get(0).get("id").asString()).isEqualTo(newer);
        assertThat(page.get("items").get(1).get("id").asString()).isEqualTo(older);
        takeTasks(2);
    }

    private String jobBody(String datasetId, String problems) {
        return """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "problems": %s}""".formatted(datasetId, endpoint, problems);
    }

    private List<TaskMessage> takeTasks(int count) {
        return worker.takeTasks(json, count);
    }

    private long sampleRows(UUID taskId) {
        return jdbc.sql("select count(*) from sample where task_id = :task")
                .param("task", taskId)
                .query(Long.class)
                .single();
    }

    private void report(TaskResult result) {
        worker.report(result);
    }

    private static TaskResult failure(TaskMessage task, String reason) {
        return new TaskResult(
                UUID.randomUUID(), task.taskId(), task.jobId(), "w", TaskResult.Outcome.FAILED, reason, List.of());
    }

    private static TaskResult result(TaskMessage task, int passed) {
        List<SampleResult> samples = new ArrayList<>();
        for (int i = 0; i < task.samples(); i++) {
            boolean pass = i < passed;
            samples.add(new SampleResult(
                    i,
                    "```python\n" + task.problem().referenceSolution() + "```",
                    task.problem().referenceSolution(),
                    pass ? Verdict.PASSED : Verdict.FAILED,
                    pass ? 5 : 3,
                    5,
                    pass ? "" : "AssertionError: assert candidate(2) == 4",
                    12,
                    340,
                    120,
                    48));
        }
        return new TaskResult(
                UUID.randomUUID(),
                task.taskId(),
                task.jobId(),
                "test-worker",
                TaskResult.Outcome.COMPLETED,
                null,
                samples);
    }
}
