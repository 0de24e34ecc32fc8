package dev.evalfleet.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.coordinator.job.Api;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OWASP API2:2023 Broken Authentication: no key, a wrong, expired or revoked key, a malformed header —
 * each is 401 with problem details on every endpoint but health; keys are stored only as hashes.
 */
class BrokenAuthenticationTest extends HostileClientTest {

    private static final List<String> PROTECTED = List.of(
            "/api/jobs",
            "/api/datasets",
            "/api/workers",
            "/api/endpoints",
            "/api/me",
            "/api/keys",
            "/api/compare?a=00000000-0000-0000-0000-000000000000&b=00000000-0000-0000-0000-000000000000",
            "/api/jobs/00000000-0000-0000-0000-000000000000/results.csv",
            "/actuator/prometheus",
            "/actuator/metrics",
            "/actuator/info");

    @Test
    void everyEndpointButHealthRefusesARequestWithoutAKey() throws Exception {
        Api anonymous = admin.withToken(null);
        for (String path : PROTECTED) {
            Api.Response response = anonymous.get(path);
            assertThat(response.status()).as(path).isEqualTo(401);
            assertThat(response.raw().headers().firstValue("WWW-Authenticate"))
                    .as(path)
                    .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
            assertThat(response.body().get("type").asString()).as(path).endsWith("/unauthenticated");
        }
        long jobs = count("job");
        assertThat(anonymous
                        .post("/api/jobs", "{\"dataset\": \"x\", \"endpoint\": \"e\", \"model\": \"m\"}")
                        .status())
                .isEqualTo(401);
        assertThat(anonymous
                        .postBytes("/api/datasets?name=x", "application/x-ndjson", new byte[] {'{', '}'})
                        .status())
                .isEqualTo(401);
        assertThat(count("job")).isEqualTo(jobs);
    }

    @Test
    void healthTheDashboardsFilesAndTheApiDocumentationAreOpen() throws Exception {
        Api anonymous = admin.withToken(null);
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(anonymous.getText("/")).contains("evalfleet");
        assertThat(anonymous.get("/api/sign-in").body().has("identityProvider"))
                .as("no identity provider configured")
                .isFalse();
        Api.Response docs = anonymous.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().at("/components/securitySchemes/bearer/scheme").asString())
                .isEqualTo("bearer");
        assertThat(docs.body().at("/security/0").has("bearer")).isTrue();
    }

    @Test
    void aWrongOrMalformedKeyIsRefused() throws Exception {
        assertThat(admin.withToken("ef_wrongwrongwrongwrongwrongwrongwrongwrong1")
                        .get("/api/jobs")
                        .body()
                        .get("detail")
                        .asString())
                .isEqualTo("Unknown API key");
        assertThat(admin.withToken("short").get("/api/jobs").status()).isEqualTo(401);
        // the right prefix with a wrong rest: found by prefix, refused by hash
        String wrongTail = Api.ADMIN_KEY.substring(0, Api.ADMIN_KEY.length() - 1) + "X";
        assertThat(admin.withToken(wrongTail).get("/api/jobs").status()).isEqualTo(401);
        for (String header : List.of("Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", Api.ADMIN_KEY)) {
            Api.Response response = admin.send(admin.withToken(null)
                    .request("/api/jobs")
                    .header("Authorization", header)
                    .GET()
                    .build());
            assertThat(response.status()).as(header).isEqualTo(401);
        }
    }

    @Test
    void anExpiredKeyIsRefused() throws Exception {
        Api.Response created = admin.post(
                "/api/keys", """
                {"name": "expiring-%d", "role": "viewer", "expiresAt": "%s"}""".formatted(System.nanoTime(), Instant.now().plusSeconds(2)));
        assertThat(created.status()).isEqualTo(201);
        Api expiring = admin.withToken(created.body().get("key").asString());
        assertThat(expiring.get("/api/jobs").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> expiring.get("/api/jobs").status() == 401);
        assertThat(expiring.get("/api/jobs").body().get("detail").asString()).isEqualTo("The API key has expired");

        assertThat(admin.post("/api/keys", """
                        {"name": "born-expired", "role": "viewer", "expiresAt": "2020-01-01T00:00:00Z"}""").body().at("/errors/0/field").asString())
                .isEqualTo("expiresAt");
    }

    @Test
    void aRevokedKeyIsRefusedFromThenOn() throws Exception {
        Api.Response created = admin.post("/api/keys", """
                {"name": "revoked-%d", "role": "evaluator"}""".formatted(System.nanoTime()));
        Api holder = admin.withToken(created.body().get("key").asString());
        assertThat(holder.get("/api/jobs").status()).isEqualTo(200);

        Api.Response revoked =
                admin.delete("/api/keys/" + created.body().get("id").asString());
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().get("revokedAt").isNull()).isFalse();

        Api.Response refused = holder.get("/api/jobs");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body().get("detail").asString()).isEqualTo("The API key was revoked");
    }

    @Test
    void aKeyIsShownOnceAndStoredOnlyAsItsHashWithItsLastUse() throws Exception {
        Api.Response created = admin.post("/api/keys", """
                {"name": "hashed-%d", "role": "viewer"}""".formatted(System.nanoTime()));
        String key = created.body().get("key").asString();
        String id = created.body().get("id").asString();
        assertThat(key).matches("ef_[A-Za-z0-9]{40}");
        assertThat(created.body().get("prefix").asString()).isEqualTo(key.substring(0, 12));

        admin.withToken(key).get("/api/jobs");
        assertThat(admin.get("/api/keys").body().toString()).doesNotContain(key).contains(id);
        var row = jdbc.sql("select prefix, hash, last_used_at from api_key where id = cast(:id as uuid)")
                .param("id", id)
                .query((rs, n) -> List.of(rs.getString(1), rs.getBytes(2), String.valueOf(rs.getTimestamp(3))))
                .single();
        assertThat(row.get(0)).isEqualTo(key.substring(0, 12));
        assertThat((byte[]) row.get(1))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        assertThat(row.get(2)).isNotEqualTo("null");
        String allColumns = jdbc.sql("select row_to_json(k)::text from api_key k")
                .query(String.class)
                .list()
                .toString();
        assertThat(allColumns).doesNotContain(key);
    }
}
