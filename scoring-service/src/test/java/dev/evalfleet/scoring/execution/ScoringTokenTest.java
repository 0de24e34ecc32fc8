package dev.evalfleet.scoring.execution;

import static dev.evalfleet.scoring.execution.ExecutionApiTest.SQUARE;
import static dev.evalfleet.scoring.execution.ExecutionApiTest.SQUARE_TESTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.ExecutionRequest;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/** Only callers with the scoring token are answered; the probes need none. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScoringTokenTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private HttpCalls http() {
        return new HttpCalls(port, json);
    }

    @Test
    void tokenIsSetForTheseTests() {
        assertThat(HttpCalls.SCORING_TOKEN).as("EVALFLEET_SCORING_TOKEN").hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void callerWithoutTokenIsRefusedWithAProblemDetail() {
        HttpCalls.Response response =
                http().withToken(null).post("/api/executions", new ExecutionRequest(SQUARE, SQUARE_TESTS, null));

        assertUnauthorized(response);
        assertThat(response.body().get("detail").asString()).contains("Authorization: Bearer");
    }

    @Test
    void callerWithWrongTokenIsRefused() {
        String wrong = HttpCalls.SCORING_TOKEN.substring(0, HttpCalls.SCORING_TOKEN.length() - 1) + "#";

        HttpCalls.Response response =
                http().withToken(wrong).post("/api/executions", new ExecutionRequest(SQUARE, SQUARE_TESTS, null));

        assertUnauthorized(response);
        assertThat(response.body().get("detail").asString()).isEqualTo("The bearer token is not the scoring token.");
    }

    @Test
    void callerWithTheTokenIsAnswered() {
        HttpCalls.Response response = http().post("/api/executions", new ExecutionRequest(SQUARE, SQUARE_TESTS, null));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body().get("verdict").asString()).isEqualTo("PASSED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/prometheus", "/actuator/info", "/v3/api-docs", "/swagger-ui.html", "/nowhere"})
    void everythingButHealthNeedsTheToken(String path) {
        assertUnauthorized(http().withToken(null).get(path));
        assertUnauthorized(http().withToken("").get(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness"})
    void healthIsOpenWithoutToken(String path) {
        assertThat(http().withToken(null).get(path).status()).isEqualTo(200);
    }

    /** A path that starts like health but resolves to something else is not health. */
    @Test
    void healthCannotBeUsedAsADoorToOtherPaths() throws IOException {
        for (String path : new String[] {"/actuator/health/../prometheus", "/actuator/health/..;/prometheus"}) {
            assertThat(rawGet(path)).as(path).doesNotStartWith("HTTP/1.1 200");
        }
    }

    private static void assertUnauthorized(HttpCalls.Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("title").asString()).isEqualTo("Scoring token required");
    }

    /** The request line exactly as written: Java's HTTP client would resolve the dots first. */
    private String rawGet(String path) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }
}
