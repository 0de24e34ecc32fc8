package dev.evalfleet.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.SampleResult;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.TaskTiming;
import dev.evalfleet.contracts.Verdict;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a job's readers get: the per-problem view, the event stream, intervals and comparisons. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ResultsIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JsonMapper json;

    private Api api;
    private StandInWorker worker;
    private final String endpoint = "reference-" + UUID.randomUUID();

    @BeforeEach
    void announceAWorker() {
        api = new Api("http://localhost:" + port, json);
        worker = StandInWorker.announced(rabbit, endpoint, api);
    }

    @Test
    void perProblemViewAndEventStreamFollowAJobToItsEnd() throws Exception {
        String datasetId = api.importSampleDataset();
        String jobId = startJob(datasetId, 2);
        CompletableFuture<Stream<String>> events = api.http()
                .sendAsync(
                        api.request("/api/jobs/" + jobId + "/events").GET().build(),
                        HttpResponse.BodyHandlers.ofLines())
                .thenApply(HttpResponse::body);

        List<TaskMessage> tasks = worker.takeTasks(json, 12);
        Map<String, Integer> passedByProblem = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            int passed = i % 3;
            passedByProblem.put(tasks.get(i).problem().problemId(), passed);
            worker.report(result(tasks.get(i), passed == 2 ? List.of(true, true) : List.of(passed == 1, false)));
        }
        await().until(() ->
                api.get("/api/jobs/" + jobId).body().get("status").asString().equals("COMPLETED"));

        JsonNode problems = api.get("/api/jobs/" + jobId + "/problems").body();
        assertThat(problems.size()).isEqualTo(12);
        assertThat(problems.get(0).get("problem").asString()).isEqualTo("Sample/0");
        for (JsonNode problem : problems) {
            int passed = passedByProblem.get(problem.get("problem").asString());
            assertThat(problem.get("samples").asInt()).isEqualTo(2);
            assertThat(problem.get("passed").asInt()).isEqualTo(passed);
            assertThat(problem.get("passRate").asDouble()).isEqualTo(passed / 2.0);
            assertThat(
                            problem.get("verdicts").get("PASSED") == null
                                    ? 0
                                    : problem.get("verdicts").get("PASSED").asInt())
                    .isEqualTo(passed);
            assertThat(
                            problem.get("verdicts").get("FAILED") == null
                                    ? 0
                                    : problem.get("verdicts").get("FAILED").asInt())
                    .isEqualTo(2 - passed);
            assertThat(problem.get("meanExecutionMs").asDouble()).isEqualTo(12.0);
            assertThat(problem.get("meanGenerationMs").asDouble()).isEqualTo(340.0);
            assertThat(problem.get("promptTokens").asLong()).isEqualTo(240);
            assertThat(problem.get("completionTokens").asLong()).isEqualTo(96);
        }
        assertThat(api.get("/api/jobs/" + UUID.randomUUID() + "/problems").status())
                .isEqualTo(404);

        List<String> lines = events.get().toList();
        List<String> names = lines.stream()
                .filter(line -> line.startsWith("event:"))
                .map(line -> line.substring(6).strip())
                .toList();
        List<JsonNode> data = lines.stream()
                .filter(line -> line.startsWith("data:"))
                .map(line -> json.readTree(line.substring(5)))
                .toList();
        assertThat(names).isNotEmpty().last().isEqualTo("finished");
        assertThat(names.subList(0, names.size() - 1)).containsOnly("progress");
        assertThat(data).extracting(d -> d.get("tasksDone").asLong()).isSorted();
        JsonNode last = data.getLast();
        assertThat(last.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(last.get("tasksDone").asLong()).isEqualTo(12);
        assertThat(last.get("samples").asLong()).isEqualTo(24);
        assertThat(last.get("passAt1").asDouble())
                .isCloseTo(
                        passedByProblem.values().stream()
                                .mapToDouble(c -> c / 2.0)
                                .average()
                                .orElseThrow(),
                        within(1e-12));
    }

    @Test
    void twoJobsCompareProblemByProblemWithIntervalsMcNemarAndFlips() throws Exception {
        String datasetId = api.importSampleDataset();
        String a = startJob(datasetId, 1);
        answer(worker.takeTasks(json, 12), i -> i < 6);
        String b = startJob(datasetId, 1);
        answer(worker.takeTasks(json, 12), i -> i < 4 || i >= 6);
        for (String job : List.of(a, b)) {
            await().until(() ->
                    api.get("/api/jobs/" + job).body().get("status").asString().equals("COMPLETED"));
        }

        JsonNode jobA = api.get("/api/jobs/" + a).body();
        assertThat(jobA.get("passAtK").get("1").asDouble()).isEqualTo(0.5);
        JsonNode interval = jobA.get("passAtKCi95").get("1");
        assertThat(interval.get(0).asDouble()).isBetween(0.0, 0.5);
        assertThat(interval.get(1).asDouble()).isBetween(0.5, 1.0);
        assertThat(jobA.get("passAtKStandardError").get("1").asDouble())
                .as("sd of six 1s and six 0s (ddof 1) / sqrt(12)")
                .isCloseTo(Math.sqrt(12 * 0.25 / 11) / Math.sqrt(12), within(1e-12));
        assertThat(jobA.get("statistics").asString()).contains("percentile bootstrap over problems");

        Api.Response compared = api.get("/api/compare?a=" + a + "&b=" + b);
        assertThat(compared.status()).isEqualTo(200);
        JsonNode view = compared.body();
        assertThat(view.get("problems").size()).isEqualTo(12);
        assertThat(view.get("a").get("modelCallsPerProblem").asDouble()).isEqualTo(1.0);
        JsonNode comparison = view.get("comparison");
        JsonNode pass1 = comparison.get("byK").get(0);
        assertThat(pass1.get("k").asInt()).isEqualTo(1);
        assertThat(pass1.get("a").get("value").asDouble()).isEqualTo(0.5);
        assertThat(pass1.get("b").get("value").asDouble()).isCloseTo(10 / 12.0, within(1e-12));
        assertThat(pass1.get("difference").get("value").asDouble()).isCloseTo(4 / 12.0, within(1e-12));
        assertThat(pass1.get("difference").get("low").asDouble()).isLessThan(4 / 12.0);
        // six problems only b solves, two only a: 2 * P(Bin(8, 1/2) <= 2) = 74/256, for the exact
        // sign-flip test and for McNemar's alike
        assertThat(pass1.get("pValue").asDouble()).isCloseTo(74 / 256.0, within(1e-12));
        assertThat(pass1.get("pValueMethod").asString()).isEqualTo("EXACT");
        assertThat(comparison.get("mcnemar").get("solvedOnlyByA").asInt()).isEqualTo(2);
        assertThat(comparison.get("mcnemar").get("solvedOnlyByB").asInt()).isEqualTo(6);
        assertThat(comparison.get("mcnemar").get("pValue").asDouble()).isCloseTo(74 / 256.0, within(1e-12));
        assertThat(comparison.get("solvedOnlyByA").valueStream().map(JsonNode::asString))
                .containsExactly("Sample/4", "Sample/5");
        assertThat(comparison.get("solvedOnlyByB").size()).isEqualTo(6);

        assertThat(api.get("/api/compare?a=" + a + "&b=" + UUID.randomUUID()).status())
                .isEqualTo(404);
        assertThat(api.get("/api/compare?a=" + a).status()).isEqualTo(400);
    }

    @Test
    void runReportSumsTheWorkersTimingsByPhase() throws Exception {
        String datasetId = api.importSampleDataset();
        Api.Response created = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "samplesPerProblem": 2,
                 "problems": ["Sample/0", "Sample/1", "Sample/2"]}""".formatted(datasetId, endpoint));
        String jobId = created.body().get("id").asString();
        List<TaskMessage> tasks = worker.takeTasks(json, 3);
        Instant t0 = Instant.parse(
                api.get("/api/jobs/" + jobId).body().get("createdAt").asString());
        // the model requests below happen within the job's lifetime
        await().pollDelay(Duration.ofMillis(100)).until(() -> Instant.now().isAfter(t0.plusMillis(1200)));
        Instant now = Instant.now();
        // generation intervals (ms): [0, 200] and [100, 300] make 300 busy, [1000, 1100] and [1050, 1150] 150
        long[][] generations = {{0, 200}, {100, 200}, {1000, 100}, {1050, 100}};
        for (int i = 0; i < tasks.size(); i++) {
            TaskMessage task = tasks.get(i);
            TaskTiming timing =
                    new TaskTiming(now.minusMillis(i == 0 ? 2000 : 1500), now, i == 1 ? 2 : 1, i == 0 ? 3 : 0);
            if (i == 2) {
                worker.report(new TaskResult(
                        UUID.randomUUID(),
                        task.taskId(),
                        task.jobId(),
                        "test-worker",
                        TaskResult.Outcome.FAILED,
                        "model endpoint failed: HTTP 500 from the server",
                        List.of(),
                        timing,
                        null));
                continue;
            }
            List<SampleResult> samples = new ArrayList<>();
            for (int j = 0; j < 2; j++) {
                long[] generation = generations[i * 2 + j];
                samples.add(new SampleResult(
                        j,
                        "raw",
                        "    return 1\n",
                        j == 0 ? Verdict.PASSED : Verdict.TIMED_OUT,
                        1,
                        1,
                        "",
                        12,
                        generation[1],
                        120,
                        48,
                        null,
                        null,
                        null,
                        t0.plusMillis(generation[0])));
            }
            worker.report(new TaskResult(
                    UUID.randomUUID(),
                    task.taskId(),
                    task.jobId(),
                    "test-worker",
                    TaskResult.Outcome.COMPLETED,
                    null,
                    samples,
                    timing,
                    null));
        }
        await().until(() ->
                api.get("/api/jobs/" + jobId).body().get("status").asString().equals("COMPLETED"));

        JsonNode report = api.get("/api/jobs/" + jobId + "/report").body();
        double wall = report.get("wallSeconds").asDouble();
        assertThat(report.get("modelBusyShare").asDouble() * wall * 1000).isCloseTo(450, within(1e-6));
        assertThat(report.get("modelRequests").asLong()).isEqualTo(4);
        assertThat(report.get("tokens").asLong()).isEqualTo(4 * 168);
        assertThat(report.get("requestsPerSecond").asDouble()).isCloseTo(4 / wall, within(1e-9));
        assertThat(report.get("generationMs").get("p50").asDouble()).isEqualTo(150.0);
        assertThat(report.get("generationMs").get("mean").asDouble()).isEqualTo(150.0);
        assertThat(report.get("scoringMs").get("p95").asDouble()).isEqualTo(12.0);
        assertThat(report.get("phases").get("generationSeconds").asDouble()).isCloseTo(0.6, within(1e-9));
        assertThat(report.get("phases").get("scoringSeconds").asDouble()).isCloseTo(0.048, within(1e-9));
        assertThat(report.get("workerSeconds").asDouble()).isCloseTo(5.0, within(1e-6));
        assertThat(report.get("workerSecondsPerWallSecond").asDouble()).isCloseTo(5.0 / wall, within(1e-9));
        assertThat(report.get("redeliveries").asLong()).isEqualTo(1);
        assertThat(report.get("modelRetries").asLong()).isEqualTo(3);
        assertThat(report.get("tasksWithTimings").asLong()).isEqualTo(3);
        assertThat(report.get("failedTasksByCause").get("model endpoint failed").asLong())
                .isEqualTo(1);
        assertThat(report.get("samplesByVerdict").get("PASSED").asLong()).isEqualTo(2);
        assertThat(report.get("samplesByVerdict").get("TIMED_OUT").asLong()).isEqualTo(2);
        assertThat(report.get("timeToFirstResultSeconds").asDouble()).isBetween(0.0, wall);
        assertThat(report.get("queueWaitSeconds").get("p50").isNull()).isFalse();
        assertThat(api.get("/api/jobs/" + UUID.randomUUID() + "/report").status())
                .isEqualTo(404);
    }

    private void answer(List<TaskMessage> tasks, java.util.function.IntPredicate passes) {
        for (TaskMessage task : tasks) {
            int ordinal = Integer.parseInt(task.problem().problemId().substring("Sample/".length()));
            worker.report(result(task, List.of(passes.test(ordinal))));
        }
    }

    private String startJob(String datasetId, int samples) throws Exception {
        Api.Response created = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "samplesPerProblem": %d}""".formatted(datasetId, endpoint, samples));
        assertThat(created.status()).isEqualTo(202);
        return created.body().get("id").asString();
    }

    private static TaskResult result(TaskMessage task, List<Boolean> passes) {
        List<SampleResult> samples = new ArrayList<>();
        for (int i = 0; i < passes.size(); i++) {
            boolean pass = passes.get(i);
            samples.add(new SampleResult(
                    i,
                    "raw",
                    "    return 1\n",
                    pass ? Verdict.PASSED : Verdict.FAILED,
                    pass ? 5 : 3,
                    5,
                    pass ? "" : "AssertionError",
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
