package dev.evalfleet.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.SampleResult;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
 * The dashboard's problem page reads one problem's samples a page at a time (result package's
 * {@code ProblemSamplesController}); here beside the job tests for their {@link Api} and stand-in worker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ProblemSamplesIntegrationTest {

    private static final int SAMPLES = 25;

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
    void samplesOfAProblemComePageByPageWithCodeVerdictAndFeedback() throws Exception {
        String jobId = finishedJob();
        String base = "/api/jobs/" + jobId;

        JsonNode first =
                api.get(base + "/samples?problem=Sample/0&page=0&size=10").body();
        assertThat(first.get("totalItems").asLong()).isEqualTo(SAMPLES);
        assertThat(first.get("totalPages").asInt()).isEqualTo(3);
        assertThat(first.get("items").size()).isEqualTo(10);
        JsonNode sample = first.get("items").get(1);
        assertThat(sample.get("sampleIndex").asInt()).isEqualTo(1);
        assertThat(sample.get("verdict").asString()).isEqualTo("FAILED");
        assertThat(sample.get("rawOutput").asString()).isEqualTo("```python\nraw 1\n```");
        assertThat(sample.get("completion").asString()).isEqualTo("    return 1\n");
        assertThat(sample.get("feedback").asString()).isEqualTo("AssertionError: sample 1");
        assertThat(sample.get("testsPassed").asInt()).isEqualTo(3);
        assertThat(sample.get("testsTotal").asInt()).isEqualTo(5);
        assertThat(sample.get("worker").asString()).isEqualTo("test-worker");
        assertThat(sample.get("completionTokens").asInt()).isEqualTo(48);

        JsonNode last =
                api.get(base + "/problems/Sample%2F0/samples?page=2&size=10").body();
        assertThat(last.get("items").size()).isEqualTo(5);
        assertThat(last.get("items").get(0).get("sampleIndex").asInt()).isEqualTo(20);

        JsonNode failed = api.get(base + "/samples?problem=Sample/0&verdict=FAILED&size=200")
                .body();
        assertThat(failed.get("totalItems").asLong()).isEqualTo(12);
        assertThat(failed.get("items").findValuesAsString("verdict")).containsOnly("FAILED");

        JsonNode problem = api.get(base + "/problems/Sample%2F0").body();
        assertThat(problem.get("prompt").asString()).contains("def reverse_words");
        assertThat(problem.get("result").get("samples").asInt()).isEqualTo(SAMPLES);
        assertThat(api.get(base + "/problem?problem=Sample/0").body()).isEqualTo(problem);

        JsonNode failures = api.get(base + "/failures").body();
        assertThat(failures.size()).isEqualTo(1);
        assertThat(failures.get(0).get("cause").asString()).isEqualTo("WRONG_ANSWER");
        assertThat(failures.get(0).get("samples").asLong()).isEqualTo(12 * 12);
        assertThat(failures.get(0).get("problems").size()).isEqualTo(12);

        assertThat(api.get(base + "/samples?problem=Nope/1").status()).isEqualTo(404);
        assertThat(api.get("/api/jobs/" + UUID.randomUUID() + "/samples?problem=Sample/0")
                        .status())
                .isEqualTo(404);
        assertThat(api.get(base + "/samples?problem=Sample/0&size=201").status())
                .isEqualTo(400);
    }

    private String finishedJob() throws Exception {
        String datasetId = api.importSampleDataset();
        Api.Response created = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "samplesPerProblem": %d}""".formatted(datasetId, endpoint, SAMPLES));
        assertThat(created.status()).isEqualTo(202);
        String jobId = created.body().get("id").asString();
        for (TaskMessage task : worker.takeTasks(json, 12)) {
            worker.report(result(task));
        }
        await().until(() ->
                api.get("/api/jobs/" + jobId).body().get("status").asString().equals("COMPLETED"));
        return jobId;
    }

    private static TaskResult result(TaskMessage task) {
        List<SampleResult> samples = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            boolean pass = i % 2 == 0;
            samples.add(new SampleResult(
                    i,
                    "```python\nraw " + i + "\n```",
                    "    return 1\n",
                    pass ? Verdict.PASSED : Verdict.FAILED,
                    pass ? 5 : 3,
                    5,
                    pass ? "" : "AssertionError: sample " + i,
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
