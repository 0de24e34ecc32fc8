package dev.evalfleet.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.coordinator.job.Api;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * OWASP API8:2023 Security Misconfiguration and API3's excessive data exposure: a key never appears in
 * the logs, job views, exports, manifests or key listings; errors carry no stack traces; actuator
 * exposes no environment or configuration.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretExposureTest extends HostileClientTest {

    @Test
    void keysNeverAppearInLogsViewsOrExports(CapturedOutput output) throws Exception {
        Api evaluator = Keys.holding(admin, "evaluator");
        String key = evaluator.token();
        String jobId =
                evaluator.post("/api/jobs", job("Sample/0")).body().get("id").asString();
        evaluator.withToken(key + "x").get("/api/jobs");
        evaluator.post("/api/jobs", "{\"status\": \"" + key + "\"}");

        List<String> answers = List.of(
                evaluator.getText("/api/jobs/" + jobId),
                evaluator.getText("/api/jobs"),
                evaluator.getText("/api/jobs/" + jobId + "/results.csv"),
                evaluator.getText("/api/jobs/" + jobId + "/samples.jsonl"),
                evaluator.getText("/api/jobs/" + jobId + "/manifest.json"),
                evaluator.getText("/api/datasets"),
                evaluator.getText("/api/me"),
                admin.getText("/api/keys"),
                admin.getText("/actuator/prometheus"));
        for (String answer : answers) {
            assertThat(answer).doesNotContain(key).doesNotContain(Api.ADMIN_KEY);
        }
        assertThat(evaluator
                        .getText("/api/jobs/" + jobId + "/results.csv")
                        .lines()
                        .findFirst()
                        .orElseThrow())
                .contains("created_by");
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("created by"));
        assertThat(output.getAll()).doesNotContain(key.substring(12)).doesNotContain(Api.ADMIN_KEY.substring(12));
    }

    @Test
    void errorsCarryNoStackTraceAndActuatorNoConfiguration() throws Exception {
        Api.Response malformed = admin.post("/api/jobs", "{\"datasetId\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().toString()).doesNotContain("at dev.evalfleet", "Exception:", "trace");
        for (String path : List.of("/actuator/env", "/actuator/configprops", "/actuator/beans", "/actuator/heapdump")) {
            assertThat(admin.get(path).status()).as(path).isIn(404, 403);
        }
    }
}
