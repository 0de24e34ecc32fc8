package dev.evalfleet.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.InputTests;
import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.SampleResult;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.TimeLimit;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.coordinator.dataset.HumanEvalPlusFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * EvalPlus datasets through the coordinator, against the real PostgreSQL and RabbitMQ with the test
 * in the worker's place: input tests reach the workers, base and plus are both reported, and time
 * limits are calibrated unless a job fixes them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class EvalPlusJobIntegrationTest {

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
    void announceAWorkerAndDrainStaleTasks() {
        api = new Api("http://localhost:" + port, json);
        worker = StandInWorker.announced(rabbit, endpoint, api);
    }

    @Test
    void mbppPlusJobReportsBasePlusAndBaseAloneWithCalibratedLimits() throws Exception {
        JsonNode dataset = importFixture("mbppplus-native.jsonl", "mbppplus-" + UUID.randomUUID());
        assertThat(dataset.get("fileFormat").asString()).isEqualTo("MBPP_PLUS");
        assertThat(dataset.get("format").asString()).isEqualTo("MBPP");
        assertThat(dataset.get("plusTests").asBoolean()).isTrue();
        assertThat(dataset.get("testInputs").asLong()).isEqualTo(14);
        String datasetId = dataset.get("id").asString();
        JsonNode problems = api.get("/api/datasets/" + datasetId + "/problems").body();
        assertThat(problems.get(1).get("judgedBy").asString()).isEqualTo("inputs");
        assertThat(problems.get(1).get("inputTests").get("baseInputs").toString())
                .isEqualTo("[[1],[2.5],[0]]");

        String jobId = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "reference", "samplesPerProblem": 2}""".formatted(datasetId, endpoint))
                .body()
                .get("id")
                .asString();
        List<TaskMessage> tasks = worker.takeTasks(json, 3);
        assertThat(tasks).allSatisfy(task -> {
            assertThat(task.timeoutSeconds()).as("calibrated").isZero();
            assertThat(task.problem().format()).isEqualTo(ProblemFormat.MBPP);
            assertThat(task.problem().tests().hasInputs()).isTrue();
            assertThat(task.problem().tests().reference()).startsWith("\"\"\"\nWrite a function");
            assertThat(task.problem().referenceSolution())
                    .as("the reference endpoint answers with the canonical solution")
                    .isNotBlank();
        });
        assertThat(tasks.get(1).problem().tests().inputs())
                .isEqualTo(new InputTests(
                        InputTests.Dataset.MBPP, "Mbpp/902", "[[1], [2.50], [0]]", "[[0.001], [100], [7.25]]", 1e-6));

        // Mbpp/901: one sample passes base and plus, one passes base only; Mbpp/902: both fail base;
        // Mbpp/903: both pass
        worker.report(result(tasks.get(0), sample(0, Verdict.PASSED, true, 0.2), sample(1, Verdict.FAILED, true, 0.2)));
        worker.report(
                result(tasks.get(1), sample(0, Verdict.FAILED, false, 4.0), sample(1, Verdict.FAILED, false, 4.0)));
        worker.report(result(tasks.get(2), sample(0, Verdict.PASSED, true, 0.5), sample(1, Verdict.PASSED, true, 0.5)));

        JsonNode job = await().until(
                        () -> api.get("/api/jobs/" + jobId).body(),
                        j -> j.get("status").asString().equals("COMPLETED"));
        assertThat(job.get("passAtK").get("1").asDouble()).isCloseTo((0.5 + 0 + 1) / 3, within(1e-12));
        assertThat(job.get("passAtKBase").get("1").asDouble()).isCloseTo((1 + 0 + 1) / 3.0, within(1e-12));
        assertThat(job.get("passAtKBase").get("2").asDouble()).isCloseTo(2 / 3.0, within(1e-12));
        JsonNode timeLimit = job.get("timeLimit");
        assertThat(timeLimit.get("rule").asString()).isEqualTo("calibrated");
        assertThat(timeLimit.get("seconds").isNull()).isTrue();
        assertThat(timeLimit.get("applied")).hasSize(1);
        JsonNode applied = timeLimit.get("applied").get(0);
        assertThat(applied.get("rule").asString()).isEqualTo("calibrated");
        assertThat(applied.get("samples").asLong()).isEqualTo(6);
        assertThat(applied.get("minSeconds").asDouble()).isEqualTo(0.2);
        assertThat(applied.get("maxSeconds").asDouble()).isEqualTo(4.0);

        List<CSVRecord> rows = CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(api.getText("/api/jobs/" + jobId + "/results.csv")))
                .getRecords();
        assertThat(rows)
                .extracting(r -> r.get("passed"))
                .containsExactly("true", "false", "false", "false", "true", "true");
        assertThat(rows)
                .extracting(r -> r.get("passed_base"))
                .containsExactly("true", "true", "false", "false", "true", "true");
        assertThat(rows.getFirst().get("tests_passed")).isEqualTo("6");
        assertThat(rows.getFirst().get("tests_total")).isEqualTo("6");
        assertThat(rows.getFirst().get("time_limit_rule")).isEqualTo("calibrated");
        assertThat(rows.getFirst().get("time_limit_seconds")).isEqualTo("0.2");

        List<String> lines =
                api.getText("/api/jobs/" + jobId + "/samples.jsonl").lines().toList();
        JsonNode second = json.readTree(lines.get(1));
        assertThat(second.propertyNames()).containsExactly("task_id", "completion", "result", "passed", "passed_base");
        assertThat(second.get("passed").asBoolean()).isFalse();
        assertThat(second.get("passed_base").asBoolean()).isTrue();
    }

    @Test
    void fixedTimeoutIsSentAndShown() throws Exception {
        String datasetId = importFixture("mbppplus-native.jsonl", "mbppplus-" + UUID.randomUUID())
                .get("id")
                .asString();
        String jobId = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "problems": ["Mbpp/903"], "timeoutSeconds": 5}""".formatted(datasetId, endpoint))
                .body()
                .get("id")
                .asString();
        TaskMessage task = worker.takeTasks(json, 1).getFirst();
        assertThat(task.timeoutSeconds()).isEqualTo(5.0);
        worker.report(result(task, fixed(sample(0, Verdict.PASSED, true, 5.0))));
        JsonNode job = await().until(
                        () -> api.get("/api/jobs/" + jobId).body(),
                        j -> j.get("status").asString().equals("COMPLETED"));
        assertThat(job.get("timeoutSeconds").asDouble()).isEqualTo(5.0);
        assertThat(job.get("timeLimit").get("rule").asString()).isEqualTo("fixed");
        assertThat(job.get("timeLimit").get("seconds").asDouble()).isEqualTo(5.0);
        assertThat(job.get("timeLimit").get("applied").get(0).get("rule").asString())
                .isEqualTo("fixed");
    }

    @Test
    void evalPlusSamplesWithWholeProgramsAreRunAsWholePrograms() throws Exception {
        String name = "humanevalplus-originfmt-" + UUID.randomUUID();
        importFixture("humanevalplus-originfmt.jsonl", name);
        String samples = String.join(
                "\n",
                "{\"task_id\": \"Made/0\", \"solution\": \"def add(a, b):\\n    return a + b\\n\"}",
                "{\"task_id\": \"Made/0\", \"completion\": \"    return a - b\\n\"}",
                "{\"task_id\": \"Made/1\", \"completion\": \"    return 0.0\\n\"}");
        Api.Response created = api.postBytes(
                "/api/jobs/from-samples?dataset=" + name,
                "application/x-ndjson",
                samples.getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).isEqualTo(202);
        String jobId = created.body().get("id").asString();
        List<TaskMessage> tasks = worker.takeTasks(json, 2);
        TaskMessage add = tasks.getFirst();
        assertThat(add.timeoutSeconds()).isZero();
        assertThat(add.problem().format())
                .as("a whole program is run as it is, as in MBPP's shape")
                .isEqualTo(ProblemFormat.MBPP);
        assertThat(add.completions())
                .containsExactly(
                        "def add(a, b):\n    return a + b\n", add.problem().prompt() + "    return a - b\n");
        TaskMessage mean = tasks.get(1);
        assertThat(mean.problem().format())
                .as("completions alone keep HumanEval's shape")
                .isEqualTo(ProblemFormat.HUMAN_EVAL);
        assertThat(mean.completions()).containsExactly("    return 0.0\n");

        worker.report(result(add, plain(0, Verdict.PASSED), plain(1, Verdict.FAILED)));
        worker.report(result(mean, plain(0, Verdict.FAILED)));
        JsonNode job = await().until(
                        () -> api.get("/api/jobs/" + jobId).body(),
                        j -> j.get("status").asString().equals("COMPLETED"));
        assertThat(job.has("passAtKBase"))
                .as("OriginFmt has no separate base verdict")
                .isFalse();
        List<JsonNode> lines = api.getText("/api/jobs/" + jobId + "/samples.jsonl")
                .lines()
                .map(json::readTree)
                .toList();
        assertThat(lines.getFirst().propertyNames())
                .as("a whole program stays the sample's only code")
                .containsExactly("task_id", "solution", "result", "passed");
        assertThat(lines.get(1).propertyNames()).containsExactly("task_id", "completion", "result", "passed");
    }

    @Test
    void importsHumanEvalPlusThroughTheApiAndSendsItsLargestInputsToTheWorkers() throws Exception {
        Path humanEvalPlus = HumanEvalPlusFile.path();
        Assumptions.assumeTrue(humanEvalPlus != null, HumanEvalPlusFile.SKIP_MESSAGE);
        String name = "humanevalplus-" + UUID.randomUUID();
        Api.Response imported =
                api.postBytes("/api/datasets?name=" + name, "application/gzip", Files.readAllBytes(humanEvalPlus));
        assertThat(imported.status()).isEqualTo(201);
        assertThat(imported.body().get("fileFormat").asString()).isEqualTo("HUMANEVAL_PLUS");
        assertThat(imported.body().get("problemCount").asInt()).isEqualTo(164);
        assertThat(imported.body().get("testInputs").asLong()).isEqualTo(124_253);

        api.post("/api/jobs", """
                {"dataset": "%s", "endpoint": "%s", "model": "reference", "problems": ["HumanEval/0", "HumanEval/80"]}""".formatted(name, endpoint));
        List<TaskMessage> tasks = worker.takeTasks(json, 2);
        assertThat(tasks).allSatisfy(task -> {
            assertThat(task.problem().format()).isEqualTo(ProblemFormat.HUMAN_EVAL);
            assertThat(task.problem().tests().inputs().dataset()).isEqualTo(InputTests.Dataset.HUMANEVAL);
            assertThat(task.problem().tests().checkProgram()).isNull();
            assertThat(task.problem().tests().reference())
                    .isEqualTo(task.problem().prompt() + task.problem().referenceSolution());
        });
        assertThat(tasks.get(1).problem().tests().inputs().plusInputs().length())
                .as("HumanEval/80's plus inputs, the largest of the file")
                .isGreaterThan(190_000);
    }

    private JsonNode importFixture(String fixture, String name) throws IOException, InterruptedException {
        byte[] content;
        try (InputStream in = getClass().getResourceAsStream("/datasets/" + fixture)) {
            content = in.readAllBytes();
        }
        Api.Response response = api.postBytes("/api/datasets?name=" + name, "application/x-ndjson", content);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.body();
    }

    private static SampleResult sample(int index, Verdict verdict, boolean passedBase, double limitSeconds) {
        return new SampleResult(
                index,
                "raw",
                "def f():\n    pass\n",
                verdict,
                verdict == Verdict.PASSED ? 6 : passedBase ? 4 : 1,
                6,
                verdict == Verdict.PASSED ? "" : "input 2 of 6: expected 400, got 0",
                12,
                0,
                null,
                null,
                null,
                passedBase,
                new TimeLimit(TimeLimit.CALIBRATED, limitSeconds, limitSeconds / 4));
    }

    private static SampleResult fixed(SampleResult sample) {
        return new SampleResult(
                sample.sampleIndex(),
                sample.rawOutput(),
                sample.completion(),
                sample.verdict(),
                sample.testsPassed(),
                sample.testsTotal(),
                sample.feedback(),
                sample.executionMillis(),
                sample.generationMillis(),
                null,
                null,
                null,
                sample.passedBase(),
                new TimeLimit(TimeLimit.FIXED, sample.timeLimit().seconds(), null));
    }

    private static SampleResult plain(int index, Verdict verdict) {
        return new SampleResult(
                index, "", "", verdict, verdict == Verdict.PASSED ? 1 : 0, 1, "", 3, 0, null, null, null);
    }

    private static TaskResult result(TaskMessage task, SampleResult... samples) {
        return new TaskResult(
                UUID.randomUUID(),
                task.taskId(),
                task.jobId(),
                "test-worker",
                TaskResult.Outcome.COMPLETED,
                null,
                new ArrayList<>(List.of(samples)));
    }
}
