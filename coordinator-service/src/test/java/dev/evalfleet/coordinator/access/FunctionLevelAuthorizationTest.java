package dev.evalfleet.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.coordinator.job.Api;
import org.junit.jupiter.api.Test;

/**
 * OWASP API5:2023 Broken Function Level Authorization: a viewer reads but cannot start, cancel or
 * import; only an admin manages keys. A refused request stores nothing.
 */
class FunctionLevelAuthorizationTest extends HostileClientTest {

    @Test
    void aViewerReadsButCannotStartCancelRetryOrImport() throws Exception {
        Api viewer = Keys.holding(admin, "viewer");
        String jobId = admin.post("/api/jobs", job("Sample/0")).body().get("id").asString();
        long jobs = count("job");
        long datasets = count("dataset");

        assertThat(viewer.get("/api/jobs").status()).isEqualTo(200);
        assertThat(viewer.get("/api/jobs/" + jobId).status()).isEqualTo(200);
        assertThat(viewer.get("/api/datasets").status()).isEqualTo(200);
        assertThat(viewer.get("/api/workers").status()).isEqualTo(200);
        assertThat(viewer.get("/actuator/prometheus").status()).isEqualTo(200);

        Api.Response refused = viewer.post("/api/jobs", job("Sample/0"));
        assertForbidden(refused);
        assertThat(refused.body().get("detail").asString())
                .startsWith(Keys.nameOf(viewer) + " (viewer) may not POST /api/jobs: ");
        assertForbidden(viewer.post("/api/jobs/" + jobId + "/cancel", ""));
        assertForbidden(viewer.post("/api/jobs/" + jobId + "/retry-failed", ""));
        assertForbidden(viewer.postBytes("/api/datasets?name=viewer-upload", "application/x-ndjson", "{}".getBytes()));
        assertForbidden(viewer.postBytes(
                "/api/jobs/from-samples?datasetId=" + datasetId, "application/x-ndjson", "{}".getBytes()));
        assertThat(count("job")).isEqualTo(jobs);
        assertThat(count("dataset")).isEqualTo(datasets);
        assertThat(admin.get("/api/jobs/" + jobId).body().get("status").asString())
                .isNotEqualTo("CANCELLED");
    }

    @Test
    void onlyAnAdminManagesKeys() throws Exception {
        long keys = count("api_key");
        for (String role : new String[] {"viewer", "evaluator"}) {
            Api caller = Keys.holding(admin, role);
            assertForbidden(caller.get("/api/keys"));
            assertForbidden(caller.post("/api/keys", "{\"name\": \"self-made\", \"role\": \"admin\"}"));
            String someKey = admin.get("/api/keys").body().get(0).get("id").asString();
            assertForbidden(caller.delete("/api/keys/" + someKey));
        }
        assertThat(count("api_key")).isEqualTo(keys + 2);
        assertThat(admin.get("/api/keys").status()).isEqualTo(200);
    }

    @Test
    void anEvaluatorStartsJobsAndImportsDatasetsRecordedAsItsOwn() throws Exception {
        Api evaluator = Keys.holding(admin, "evaluator");
        String name = Keys.nameOf(evaluator);
        Api.Response created = evaluator.post("/api/jobs", job("Sample/0"));
        assertThat(created.status()).isEqualTo(202);
        assertThat(evaluator.get(created.location()).body().get("createdBy").asString())
                .isEqualTo(name);
        Api.Response dataset = evaluator.postBytes(
                "/api/datasets?name=evaluator-upload",
                "application/x-ndjson",
                java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../examples/sample-problems.jsonl")));
        assertThat(dataset.status()).isEqualTo(201);
        assertThat(dataset.body().get("createdBy").asString()).isEqualTo(name);
        assertThat(evaluator.get("/api/me").body().get("role").asString()).isEqualTo("evaluator");
    }

    private static void assertForbidden(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(403);
        assertThat(response.body().get("type").asString()).endsWith("/forbidden");
    }
}
