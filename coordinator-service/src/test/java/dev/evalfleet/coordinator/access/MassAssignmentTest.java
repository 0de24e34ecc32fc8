package dev.evalfleet.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.coordinator.job.Api;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * OWASP API3:2023 Broken Object Property Level Authorization (mass assignment): a body that sets what
 * the server decides — a job's {@code id}, {@code status} or {@code createdBy}, a key's hash — is
 * refused with 400 naming the field, and nothing is stored.
 */
class MassAssignmentTest extends HostileClientTest {

    @Test
    void aJobBodyCannotSetItsIdStatusOrCreator() throws Exception {
        Api evaluator = Keys.holding(admin, "evaluator");
        long jobs = count("job");
        for (String field : new String[] {
            "\"status\": \"COMPLETED\"",
            "\"createdBy\": \"someone-else\"",
            "\"id\": \"%s\"".formatted(UUID.randomUUID()),
            "\"createdAt\": \"2020-01-01T00:00:00Z\""
        }) {
            Api.Response response = evaluator.post("/api/jobs", jobWith(field, "Sample/0"));
            String name = field.substring(1, field.indexOf('"', 1));
            assertThat(response.status()).as(field).isEqualTo(400);
            assertThat(response.body().at("/errors/0/field").asString())
                    .as(field)
                    .isEqualTo(name);
        }
        assertThat(count("job")).isEqualTo(jobs);

        Api.Response created = evaluator.post("/api/jobs", job("Sample/0"));
        assertThat(created.status()).isEqualTo(202);
        assertThat(evaluator.get(created.location()).body().get("createdBy").asString())
                .isEqualTo(Keys.nameOf(evaluator));
    }

    @Test
    void aKeyBodyCannotSetItsSecretOrCreator() throws Exception {
        long keys = count("api_key");
        for (String field : new String[] {"key", "prefix", "hash", "createdBy", "revokedAt", "id"}) {
            Api.Response response = admin.post("/api/keys", """
                    {"name": "assigned-%s", "role": "viewer", "%s": "ef_chosenchosenchosenchosenchosenchosen12"}""".formatted(field, field));
            assertThat(response.status()).as(field).isEqualTo(400);
            assertThat(response.body().at("/errors/0/field").asString())
                    .as(field)
                    .isEqualTo(field);
        }
        assertThat(admin.post("/api/keys", "{\"name\": \"bad-role\", \"role\": \"root\"}")
                        .body()
                        .at("/errors/0/field")
                        .asString())
                .isEqualTo("role");
        assertThat(count("api_key")).isEqualTo(keys);
    }
}
