package dev.evalfleet.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.RunProvenance;
import dev.evalfleet.contracts.SampleResult;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.TaskTiming;
import dev.evalfleet.contracts.Verdict;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code manifest.json} from upload to the workers' reports: the dataset's sha256 is that of the
 * bytes uploaded (here gzip, before decompression), the settings are the job's, each distinct
 * provenance the workers reported is a row with its task count, and the worker's timings are stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class JobManifestIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    private Api api;

    private StandInWorker worker;

    private final String endpoint = "reference-" + UUID.randomUUID();

    @BeforeEach
    void announceAWorkerAndDrainStaleTasks() {
        api = new Api("http://localhost:" + port, json);
        worker = StandInWorker.announced(rabbit, endpoint, api);
    }

    @Test
    void manifestNamesTheUploadedFileTheSettingsAndWhatTheWorkersReportedRanTheTasks() throws Exception {
        byte[] uploaded = gzip(Files.readAllBytes(Api.SAMPLE_DATASET));
        Api.Response dataset = api.postBytes("/api/datasets?name=manifest-sample", "application/gzip", uploaded);
        assertThat(dataset.status()).isEqualTo(201);
        String sha256 =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(uploaded));
        assertThat(dataset.body().get("sha256").asString()).isEqualTo(sha256);
        String jobId = api.post(
                        "/api/jobs", """
                        {"datasetId": "%s", "endpoint": "%s", "model": "reference", "samplesPerProblem": 1,
                         "problems": ["Sample/1", "Sample/2", "Sample/3"], "timeoutSeconds": 4,
                         "generation": {"temperature": 0.2, "seed": 11, "maxTokens": 256}}""".formatted(dataset.body().get("id").asString(), endpoint))
                .body()
                .get("id")
                .asString();
        List<TaskMessage> tasks = worker.takeTasks(json, 3);
        RunProvenance oldWorker = provenance("0.1.0", "aaaa");
        // Credentials in the URL are dropped on the way in, whoever sent them.
        RunProvenance newWorker = new RunProvenance(
                endpoint,
                "ollama",
                "http://user:secret@127.0.0.1:11434?key=x",
                "reference",
                "sha256-digest",
                "family=qwen2",
                "0.12.6",
                "bubblewrap",
                "3.11.2",
                "0.2.0",
                "bbbb");
        Instant received = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        Instant generationStarted = received.plusMillis(300);
        worker.report(result(tasks.get(0), newWorker, received, generationStarted));
        worker.report(result(tasks.get(1), oldWorker, received, generationStarted));
        worker.report(result(tasks.get(2), newWorker, received, generationStarted));
        await().until(() ->
                api.get("/api/jobs/" + jobId).body().get("status").asString().equals("COMPLETED"));

        Api.Response response = api.get("/api/jobs/" + jobId + "/manifest.json");

        assertThat(response.status()).isEqualTo(200);
        JsonNode manifest = response.body();
        assertThat(manifest.get("jobId").asString()).isEqualTo(jobId);
        assertThat(manifest.get("dataset").get("sha256").asString()).isEqualTo(sha256);
        assertThat(manifest.get("dataset").get("name").asString()).isEqualTo("manifest-sample");
        assertThat(manifest.get("dataset").get("problemCount").asInt()).isEqualTo(12);
        JsonNode settings = manifest.get("settings");
        assertThat(settings.get("endpoint").asString()).isEqualTo(endpoint);
        assertThat(settings.get("samplesPerProblem").asInt()).isEqualTo(1);
        assertThat(settings.get("problemsSelected").asInt()).isEqualTo(3);
        assertThat(settings.get("generation").get("seed").asLong()).isEqualTo(11);
        assertThat(settings.get("generation").get("temperature").asDouble()).isEqualTo(0.2);
        assertThat(settings.get("timeLimit").get("rule").asString()).isEqualTo("fixed");
        assertThat(settings.get("timeLimit").get("seconds").asDouble()).isEqualTo(4.0);
        JsonNode reported = manifest.get("reported");
        assertThat(reported).hasSize(2);
        JsonNode byNewWorker = find(reported, "0.2.0");
        assertThat(byNewWorker.get("taskCount").asInt()).isEqualTo(2);
        assertThat(byNewWorker.get("modelDigest").asString()).isEqualTo("sha256-digest");
        assertThat(byNewWorker.get("modelServerVersion").asString()).isEqualTo("0.12.6");
        assertThat(byNewWorker.get("scoringPython").asString()).isEqualTo("3.11.2");
        assertThat(byNewWorker.get("workerCommit").asString()).isEqualTo("bbbb");
        assertThat(byNewWorker.get("baseUrl").asString()).isEqualTo("http://127.0.0.1:11434");
        assertThat(find(reported, "0.1.0").get("taskCount").asInt()).isEqualTo(1);
        assertThat(manifest.get("coordinator").has("version")).isTrue();
        assertThat(manifest.get("createdAt").isNull()).isFalse();
        assertThat(manifest.get("finishedAt").isNull()).isFalse();
        assertThat(response.body().toString()).doesNotContain("secret");

        TaskTiming stored = jdbc.sql("""
                        select received_at, worker_finished_at, deliveries, model_retries from task where id = :id""")
                .param("id", tasks.get(0).taskId())
                .query((rs, row) -> new TaskTiming(
                        rs.getTimestamp("received_at").toInstant(),
                        rs.getTimestamp("worker_finished_at").toInstant(),
                        rs.getInt("deliveries"),
                        rs.getInt("model_retries")))
                .single();
        assertThat(stored).isEqualTo(new TaskTiming(received, received.plusSeconds(1), 2, 1));
        Timestamp startedAt = jdbc.sql("select generation_started_at from sample where task_id = :id")
                .param("id", tasks.get(0).taskId())
                .query(Timestamp.class)
                .single();
        assertThat(startedAt.toInstant()).isEqualTo(generationStarted);
    }

    @Test
    void manifestOfAnUnknownJobIsNotFound() throws Exception {
        Api.Response response = api.get("/api/jobs/" + UUID.randomUUID() + "/manifest.json");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().get("detail").asString()).contains("No job with id");
    }

    private RunProvenance provenance(String workerVersion, String commit) {
        return new RunProvenance(
                endpoint,
                "reference",
                null,
                "reference",
                null,
                null,
                null,
                "bubblewrap",
                "3.11.2",
                workerVersion,
                commit);
    }

    private static TaskResult result(
            TaskMessage task, RunProvenance provenance, Instant received, Instant generationStarted) {
        SampleResult sample = new SampleResult(
                0,
                "answer",
                "    return 1\n",
                Verdict.PASSED,
                1,
                1,
                "",
                5,
                200,
                null,
                null,
                null,
                null,
                null,
                generationStarted);
        return new TaskResult(
                UUID.randomUUID(),
                task.taskId(),
                task.jobId(),
                "w-" + provenance.workerVersion(),
                TaskResult.Outcome.COMPLETED,
                null,
                List.of(sample),
                new TaskTiming(received, received.plusSeconds(1), 2, 1),
                provenance);
    }

    private static JsonNode find(JsonNode reported, String workerVersion) {
        for (JsonNode row : reported) {
            if (row.get("workerVersion").asString().equals(workerVersion)) {
                return row;
            }
        }
        throw new AssertionError("no provenance of worker version " + workerVersion + " in " + reported);
    }

    private static byte[] gzip(byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }
}
