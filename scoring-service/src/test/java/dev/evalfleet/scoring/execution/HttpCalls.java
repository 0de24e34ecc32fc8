package dev.evalfleet.scoring.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the tests, so they see the service exactly as other services do: with the
 * scoring token (set on the test JVM by the POM), unless a test says otherwise.
 */
record HttpCalls(int port, JsonMapper json, String token) {

    static final String SCORING_TOKEN = System.getenv("EVALFLEET_SCORING_TOKEN");

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    HttpCalls(int port, JsonMapper json) {
        this(port, json, SCORING_TOKEN);
    }

    /** The same client sending {@code token} as bearer token, or no Authorization header for null. */
    HttpCalls withToken(String token) {
        return new HttpCalls(port, json, token);
    }

    record Response(int status, String contentType, String text, JsonNode body) {}

    Response post(String path, Object body) {
        return postRaw(path, json.writeValueAsString(body));
    }

    Response postRaw(String path, String body) {
        return send(
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                true);
    }

    Response get(String path) {
        return send(request(path).GET().build(), true);
    }

    Response getText(String path) {
        return send(request(path).GET().build(), false);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofMinutes(10));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private Response send(HttpRequest request, boolean parse) {
        try {
            HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            JsonNode body = parse && !response.body().isEmpty() ? json.readTree(response.body()) : null;
            return new Response(response.statusCode(), contentType, response.body(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
