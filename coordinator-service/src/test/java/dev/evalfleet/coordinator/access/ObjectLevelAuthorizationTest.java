package dev.evalfleet.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.coordinator.job.Api;
import dev.evalfleet.coordinator.job.StandInWorker;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.json.JsonMapper;

/**
 * OWASP API1:2023 Broken Object Level Authorization: an evaluator acts on its own jobs only; another's
 * job refuses it with 403 and keeps running; an admin may act on any job.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ObjectLevelAuthorizationTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    RabbitTemplate rabbit;

    private final String endpoint = "reference-" + UUID.randomUUID();
    private Api admin;
    private String datasetId;

    @BeforeEach
    void setUp() throws Exception {
        admin = new Api("http://localhost:" + port, json);
        StandInWorker.announced(rabbit, endpoint, admin);
        datasetId = admin.importSampleDataset();
    }

    @Test
    void anEvaluatorCannotCancelOrRetryAnothersJobWhichKeepsRunning() throws Exception {
        Api alice = Keys.holding(admin, "evaluator");
        Api mallory = Keys.holding(admin, "evaluator");
        String jobId = alice.post("/api/jobs", job()).body().get("id").asString();

        Api.Response cancel = mallory.post("/api/jobs/" + jobId + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(403);
        assertThat(cancel.body().get("detail").asString())
                .contains("may not cancel job " + jobId)
                .contains(Keys.nameOf(alice));
        assertThat(mallory.post("/api/jobs/" + jobId + "/retry-failed", "").status())
                .isEqualTo(403);
        assertThat(alice.get("/api/jobs/" + jobId).body().get("status").asString())
                .isIn("QUEUED", "RUNNING");

        assertThat(alice.post("/api/jobs/" + jobId + "/cancel", "").status()).isEqualTo(200);
        assertThat(alice.get("/api/jobs/" + jobId).body().get("status").asString())
                .isEqualTo("CANCELLED");
    }

    @Test
    void anAdminMayCancelAnyonesJob() throws Exception {
        Api bob = Keys.holding(admin, "evaluator");
        String jobId = bob.post("/api/jobs", job()).body().get("id").asString();
        Api.Response cancelled = admin.post("/api/jobs/" + jobId + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.body().get("createdBy").asString()).isEqualTo(Keys.nameOf(bob));
    }

    @Test
    void aNewKeyOfARevokedKeysNameCarriesOnAsTheOwner() throws Exception {
        String name = "rotating-" + UUID.randomUUID();
        Api.Response first = admin.post("/api/keys", "{\"name\": \"%s\", \"role\": \"evaluator\"}".formatted(name));
        String jobId = admin.withToken(first.body().get("key").asString())
                .post("/api/jobs", job())
                .body()
                .get("id")
                .asString();
        assertThat(admin.post("/api/keys", "{\"name\": \"%s\", \"role\": \"viewer\"}".formatted(name))
                        .status())
                .isEqualTo(409);
        admin.delete("/api/keys/" + first.body().get("id").asString());
        Api.Response second = admin.post("/api/keys", "{\"name\": \"%s\", \"role\": \"evaluator\"}".formatted(name));
        assertThat(second.status()).isEqualTo(201);
        assertThat(admin.withToken(second.body().get("key").asString())
                        .post("/api/jobs/" + jobId + "/cancel", "")
                        .status())
                .isEqualTo(200);
    }

    private String job() {
        return """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "problems": ["Sample/0", "Sample/1"]}""".formatted(datasetId, endpoint);
    }
}
