package dev.evalfleet.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.coordinator.job.Api;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * OWASP API4:2023 Unrestricted Resource Consumption: each key's rate limit (429) and quotas (422, naming
 * the limit and the use), with nothing stored half; oversized and deeply nested JSON is refused.
 */
class UnrestrictedResourceConsumptionTest extends HostileClientTest {

    @Test
    void theRateLimitAnswers429WithWhenToRetry() throws Exception {
        Api hasty = Keys.holding(admin, "viewer", "{\"requestsPerMinute\": 5}");
        for (int i = 0; i < 5; i++) {
            assertThat(hasty.get("/api/jobs").status()).isEqualTo(200);
        }
        Api.Response limited = hasty.get("/api/jobs");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().get("limit").asString()).isEqualTo("requestsPerMinute");
        assertThat(limited.body().get("allowed").asLong()).isEqualTo(5);
        assertThat(limited.body().get("current").asLong()).isEqualTo(5);
        assertThat(limited.raw().headers().firstValue("Retry-After"))
                .hasValueSatisfying(
                        seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
        assertThat(admin.get("/api/jobs").status())
                .as("another key has its own bucket")
                .isEqualTo(200);
    }

    @Test
    void aJobBeyondTheRunningJobsQuotaIsRefusedAndStoresNothing() throws Exception {
        Api evaluator = Keys.holding(admin, "evaluator", "{\"runningJobs\": 1}");
        assertThat(evaluator
                        .post("/api/jobs", jobWith("\"samplesPerProblem\": 1", "Sample/0"))
                        .status())
                .isEqualTo(202);
        long[] before = stored();

        Api.Response refused = evaluator.post("/api/jobs", jobWith("\"samplesPerProblem\": 1", "Sample/0"));
        assertQuota(refused, "runningJobs", 1, 1);
        assertThat(stored()).isEqualTo(before);
    }

    @Test
    void aJobBeyondTheQueuedRequestsQuotaIsRefusedAndStoresNothing() throws Exception {
        Api evaluator = Keys.holding(admin, "evaluator", "{\"queuedRequests\": 5}");
        assertThat(evaluator
                        .post("/api/jobs", jobWith("\"samplesPerProblem\": 2", "Sample/0"))
                        .status())
                .isEqualTo(202);
        long[] before = stored();

        Api.Response refused = evaluator.post("/api/jobs", jobWith("\"samplesPerProblem\": 2", "Sample/0", "Sample/1"));
        assertQuota(refused, "queuedRequests", 5, 2);
        assertThat(refused.body().get("requested").asLong()).isEqualTo(4);
        assertThat(stored()).isEqualTo(before);
        assertThat(evaluator
                        .post("/api/jobs", jobWith("\"samplesPerProblem\": 3", "Sample/2"))
                        .status())
                .isEqualTo(202);
    }

    @Test
    void anAdminIsHeldOnlyToTheQuotasOfItsOwnKey() throws Exception {
        assertThat(admin.get("/api/me").body().at("/quotas/runningJobs").asLong())
                .as("the bootstrap admin: not the callers' defaults")
                .isEqualTo(Integer.MAX_VALUE);
        assertThat(Keys.holding(admin, "evaluator")
                        .get("/api/me")
                        .body()
                        .at("/quotas/runningJobs")
                        .asLong())
                .as("an evaluator: the defaults of application-test.yml")
                .isEqualTo(1000);
        Api limitedAdmin = Keys.holding(admin, "admin", "{\"runningJobs\": 1}");
        assertThat(limitedAdmin
                        .post("/api/jobs", jobWith("\"samplesPerProblem\": 1", "Sample/0"))
                        .status())
                .isEqualTo(202);
        assertQuota(
                limitedAdmin.post("/api/jobs", jobWith("\"samplesPerProblem\": 1", "Sample/0")), "runningJobs", 1, 1);
    }

    @Test
    void datasetUploadsAreHeldToTheirSizeAndCount() throws Exception {
        byte[] file = Files.readAllBytes(Path.of("../examples/sample-problems.jsonl"));
        Api small = Keys.holding(admin, "evaluator", "{\"uploadBytes\": 100}");
        long datasets = count("dataset");
        Api.Response tooBig = small.postBytes("/api/datasets?name=too-big", "application/x-ndjson", file);
        assertQuota(tooBig, "uploadBytes", 100, 0);
        assertThat(tooBig.body().get("requested").asLong()).isEqualTo(file.length);

        Api few = Keys.holding(admin, "evaluator", "{\"datasets\": 1}");
        assertThat(few.postBytes("/api/datasets?name=first", "application/x-ndjson", file)
                        .status())
                .isEqualTo(201);
        assertQuota(few.postBytes("/api/datasets?name=second", "application/x-ndjson", file), "datasets", 1, 1);
        assertThat(count("dataset")).isEqualTo(datasets + 1);
    }

    @Test
    void oversizedAndDeeplyNestedJsonIsRefused() throws Exception {
        long jobs = count("job");
        String huge = "{\"datasetId\": \"%s\", \"endpoint\": \"%s\", \"model\": \"%s\"}"
                .formatted(datasetId, endpoint, "m".repeat(200_000));
        assertThat(admin.post("/api/jobs", huge).status()).isEqualTo(413);

        Api.Response chunked = admin.send(admin.request("/api/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(job("Sample/0").getBytes(StandardCharsets.UTF_8))))
                .build());
        assertThat(chunked.status()).as("a JSON body of no stated length").isEqualTo(413);
        assertThat(admin.send(admin.request("/api/jobs")
                                .header("Content-Type", "application/json")
                                .GET()
                                .build())
                        .status())
                .as("a GET naming a content type has no body to limit")
                .isEqualTo(200);

        String nested = "{\"generation\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        assertThat(admin.post("/api/jobs", nested).status()).isEqualTo(400);
        String nestedObjects = "{\"strategy\": " + "{\"a\": ".repeat(3_000) + "1" + "}".repeat(3_000) + "}";
        assertThat(admin.post("/api/jobs", nestedObjects).status()).isEqualTo(400);
        assertThat(count("job")).isEqualTo(jobs);
    }

    private static void assertQuota(Api.Response response, String limit, long allowed, long current) {
        assertThat(response.status()).as(response.toString()).isEqualTo(422);
        assertThat(response.body().get("type").asString()).endsWith("/quota-exceeded");
        assertThat(response.body().get("limit").asString()).isEqualTo(limit);
        assertThat(response.body().get("allowed").asLong()).isEqualTo(allowed);
        assertThat(response.body().get("current").asLong()).isEqualTo(current);
    }

    /** Jobs and tasks: what a job stores (its outbox messages go as they are published). */
    private long[] stored() {
        return new long[] {count("job"), count("task")};
    }
}
