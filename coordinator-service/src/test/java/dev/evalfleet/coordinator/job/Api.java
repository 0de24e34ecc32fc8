package dev.evalfleet.coordinator.job;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the coordinator's API in tests: real requests over a real socket, each with
 * the API key {@code token} (the test configuration's admin key unless another is given).
 */
public record Api(String baseUrl, JsonMapper json, HttpClient http, String token) {

    /** The admin key the tests' configuration (application-test.yml) gives the coordinator at start. */
    public static final String ADMIN_KEY = "ef_test-admin-key-0123456789abcdefghijklmnop";

    public Api(String baseUrl, JsonMapper json) {
        this(baseUrl, json, HttpClient.newHttpClient(), ADMIN_KEY);
    }

    static final Path SAMPLE_DATASET = Path.of("../examples/sample-problems.jsonl");

    public record Response(int status, JsonNode body, String location, HttpResponse<String> raw) {

        public Response(int status, JsonNode body, String location) {
            this(status, body, location, null);
        }
    }

    /** The same client with another key; {@code null} sends none. */
    public Api withToken(String token) {
        return new Api(baseUrl, json, http, token);
    }

    /** A request to {@code path} carrying this client's key. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    public Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    public String getText(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    public Response post(String path, String jsonBody) throws IOException, InterruptedException {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build());
    }

    public Response delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    /** Imports examples/sample-problems.jsonl and returns the new dataset's id. */
    public String importSampleDataset() throws IOException, InterruptedException {
        Response response = postBytes(
                "/api/datasets?name=sample-problems", "application/x-ndjson", Files.readAllBytes(SAMPLE_DATASET));
        if (response.status() != 201) {
            throw new IllegalStateException("sample dataset import failed: " + response);
        }
        return response.body().get("id").asString();
    }

    public Response postBytes(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return send(request(path)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    public Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        JsonNode body =
                text.isBlank() || !text.strip().startsWith("{") && !text.strip().startsWith("[")
                        ? json.createObjectNode()
                        : json.readTree(text);
        return new Response(
                response.statusCode(),
                body,
                response.headers().firstValue("Location").orElse(null),
                response);
    }
}
