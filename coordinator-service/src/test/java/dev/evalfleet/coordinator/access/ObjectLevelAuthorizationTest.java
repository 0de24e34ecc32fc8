package dev.evalfleet.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.coordinator.job.Api;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * OWASP API1:2023 Broken Object Level Authorization: an evaluator acts on its own jobs only; another's
 * job refuses it with 403 and keeps running; an admin may act on any job.
 */
class ObjectLevelAuthorizationTest extends HostileClientTest {

    @Test
    void anEvaluatorCannotCancelOrRetryAnothersJobWhichKeepsRunning() throws Exception {
        Api alice = Keys.holding(admin, "evaluator");
        Api mallory = Keys.holding(admin, "evaluator");
        String jobId = alice.post("/api/jobs", job("Sample/0", "Sample/1"))
                .body()
                .get("id")
                .asString();

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
        String jobId = bob.post("/api/jobs", job("Sample/0", "Sample/1"))
                .body()
                .get("id")
                .asString();
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
                .post("/api/jobs", job("Sample/0", "Sample/1"))
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
}
