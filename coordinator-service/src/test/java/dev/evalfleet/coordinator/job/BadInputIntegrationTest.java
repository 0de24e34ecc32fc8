package dev.evalfleet.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.UUID;
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

/** Every kind of bad input gets a 4xx problem detail naming what is wrong, and creates nothing. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class BadInputIntegrationTest {

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
    private final String endpoint = "reference-" + UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        api = new Api("http://localhost:" + port, json);
        new StandInWorker(rabbit, endpoint).heartbeat("bad-input-worker", Instant.now());
        await().until(() -> api.get("/api/endpoints").toString().contains(endpoint));
        datasetId = api.importSampleDataset();
    }

    @Test
    void malformedJsonIsRejected() throws Exception {
        assertRejected(api.post("/api/jobs", "{\"datasetId\": "), 400, null);
        assertRejected(api.post("/api/jobs", body("\"samplesPerProblem\": \"many\"")), 400, "samplesPerProblem");
    }

    @Test
    void unknownDatasetOrEndpointIsRejectedNamingTheField() throws Exception {
        assertRejected(api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "m"}""".formatted(UUID.randomUUID(), endpoint)), 400, "datasetId");
        assertRejected(api.post("/api/jobs", """
                {"dataset": "no-such-dataset", "endpoint": "%s", "model": "m"}""".formatted(endpoint)), 400, "dataset");
        assertRejected(api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "no-such-endpoint", "model": "m"}""".formatted(datasetId)), 400, "endpoint");
        assertRejected(api.post("/api/jobs", """
                {"datasetId": "%s", "model": "m"}""".formatted(datasetId)), 400, "endpoint");
    }

    @Test
    void samplesOutsideTheLimitsAreRejected() throws Exception {
        assertRejected(api.post("/api/jobs", body("\"samplesPerProblem\": 0")), 400, "samplesPerProblem");
        assertRejected(api.post("/api/jobs", body("\"samplesPerProblem\": 51")), 400, "samplesPerProblem");
        assertRejected(api.post("/api/jobs", body("\"timeoutSeconds\": 3600")), 400, "timeoutSeconds");
        assertRejected(
                api.post("/api/jobs", body("\"generation\": {\"temperature\": 5}")), 400, "generation.temperature");
    }

    @Test
    void invalidStrategiesAreRejectedNamingTheField() throws Exception {
        assertRejected(api.post("/api/jobs", body("\"strategy\": {\"type\": \"beam\"}")), 400, "strategy.type");
        assertRejected(api.post("/api/jobs", body("\"strategy\": {}")), 400, "strategy.type");
        assertRejected(
                api.post("/api/jobs", body("\"strategy\": {\"type\": \"murphy\", \"candidates\": 0}")),
                400,
                "strategy.candidates");
        assertRejected(
                api.post("/api/jobs", body("\"strategy\": {\"type\": \"murphy\", \"turns\": 0}")),
                400,
                "strategy.turns");
        assertRejected(
                api.post("/api/jobs", body("\"strategy\": {\"type\": \"murphy\", \"pruningBudget\": 0}")),
                400,
                "strategy.pruningBudget");
        assertRejected(
                api.post("/api/jobs", body("\"strategy\": {\"type\": \"murphy\", \"credit\": \"best\"}")),
                400,
                "strategy.credit");
        assertRejected(
                api.post("/api/jobs", body("\"strategy\": {\"type\": \"murphy\", \"gamma\": 1.5}")),
                400,
                "strategy.gamma");
        assertRejected(
                api.post("/api/jobs", body("\"strategy\": {\"type\": \"murphy\", \"gamma\": 0}")),
                400,
                "strategy.gamma");
        assertRejected(
                api.post("/api/jobs", body("\"strategy\": {\"type\": \"murphy\", \"feedback\": \"oracle\"}")),
                400,
                "strategy.feedback");
        assertRejected(
                api.post("/api/jobs", body("\"strategy\": {\"type\": \"murphy\"}, \"samplesPerProblem\": 4")),
                400,
                "samplesPerProblem");
    }

    @Test
    void emptyOrUnknownProblemListsAreRejected() throws Exception {
        assertRejected(api.post("/api/jobs", body("\"problems\": []")), 400, "problems");
        JsonNode unknown = assertRejected(
                api.post("/api/jobs", body("\"problems\": [\"Sample/0\", \"Nope/1\"]")), 400, "problems");
        assertThat(unknown.get("detail").asString()).contains("Nope/1");
    }

    @Test
    void badDatasetFileStoresNothingAndNamesTheLine() throws Exception {
        long before = count("dataset");
        String file = Files.readString(Api.SAMPLE_DATASET) + "{\"task_id\": \"Sample/0\"}\n";
        JsonNode problem = assertRejected(
                api.postBytes(
                        "/api/datasets?name=broken", "application/x-ndjson", file.getBytes(StandardCharsets.UTF_8)),
                400,
                null);
        assertThat(problem.get("errors").get(0).get("line").asInt()).isEqualTo(13);
        assertThat(count("dataset")).isEqualTo(before);
    }

    @Test
    void samplesFileWithUnknownTaskIdsOrMissingCompletionsIsRejectedByLine() throws Exception {
        String file = """
                {"task_id": "Sample/0", "completion": "    return 1\\n"}
                {"task_id": "Nope/1", "completion": "x"}
                {"task_id": "Sample/2"}
                """;
        JsonNode problem = assertRejected(
                api.postBytes(
                        "/api/jobs/from-samples?datasetId=" + datasetId,
                        "application/x-ndjson",
                        file.getBytes(StandardCharsets.UTF_8)),
                400,
                "task_id");
        assertThat(problem.get("title").asString()).isEqualTo("Invalid samples file");
        assertThat(problem.get("errors").findValuesAsString("field")).containsExactly("task_id", "completion");
        assertThat(problem.get("errors").get(0).get("line").asInt()).isEqualTo(2);
        assertRejected(
                api.postBytes("/api/jobs/from-samples", "application/x-ndjson", file.getBytes(StandardCharsets.UTF_8)),
                400,
                "datasetId");
    }

    @Test
    void oversizedUploadIsRejected() throws Exception {
        long before = count("dataset");
        Api.Response response =
                api.postBytes("/api/datasets?name=huge", "application/x-ndjson", new byte[1024 * 1024 + 10]);
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.body().get("title").asString()).isEqualTo("Upload too large");
        assertThat(count("dataset")).isEqualTo(before);
    }

    @Test
    void missingDatasetNameIsRejected() throws Exception {
        assertRejected(
                api.postBytes("/api/datasets", "application/x-ndjson", Files.readAllBytes(Api.SAMPLE_DATASET)),
                400,
                "name");
    }

    @Test
    void unknownJobAndDatasetAreNotFound() throws Exception {
        assertThat(api.get("/api/jobs/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(api.get("/api/jobs/" + UUID.randomUUID() + "/results.csv").status())
                .isEqualTo(404);
        assertThat(api.get("/api/datasets/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertRejected(api.get("/api/jobs/not-a-uuid"), 400, "id");
    }

    @Test
    void datasetsAndTheirProblemsCanBeBrowsed() throws Exception {
        assertThat(api.get("/api/datasets/" + datasetId)
                        .body()
                        .get("problemCount")
                        .asInt())
                .isEqualTo(12);
        JsonNode problems = api.get("/api/datasets/" + datasetId + "/problems").body();
        assertThat(problems).hasSize(12);
        assertThat(problems.get(0).get("taskId").asString()).isEqualTo("Sample/0");
        assertThat(api.get("/api/datasets").body().toString()).contains(datasetId);
    }

    private String body(String extraField) {
        return """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", %s}""".formatted(datasetId, endpoint, extraField);
    }

    /** Asserts the status, a problem-details body, the named field, and that no job was created. */
    private JsonNode assertRejected(Api.Response response, int status, String field) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.body().get("status").asInt()).isEqualTo(status);
        assertThat(response.body().get("title").asString()).isNotBlank();
        if (field != null) {
            assertThat(response.body().get("errors").findValuesAsString("field"))
                    .contains(field);
        }
        assertThat(jdbc.sql("select count(*) from job where dataset_id = :id::uuid")
                        .param("id", datasetId)
                        .query(Long.class)
                        .single())
                .as("nothing half-created")
                .isZero();
        return response.body();
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
