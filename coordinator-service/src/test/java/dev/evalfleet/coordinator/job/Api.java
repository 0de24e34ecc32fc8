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

/** A plain HTTP client for the coordinator's API in tests: real requests over a real socket. */
record Api(String baseUrl, JsonMapper json, HttpClient http) {

    Api(String baseUrl, JsonMapper json) {
        this(baseUrl, json, HttpClient.newHttpClient());
    }

    static final Path SAMPLE_DATASET = Path.of("../examples/sample-problems.jsonl");

    record Response(int status, JsonNode body, String location) {}

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build());
    }

    String getText(String path) throws IOException, InterruptedException {
        return http.send(
                        HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    Response post(String path, String jsonBody) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build());
    }

    /** Imports examples/sample-problems.jsonl and returns the new dataset's id. */
    String importSampleDataset() throws IOException, InterruptedException {
        Response response = postBytes(
                "/api/datasets?name=sample-problems", "application/x-ndjson", Files.readAllBytes(SAMPLE_DATASET));
        if (response.status() != 201) {
            throw new IllegalStateException("sample dataset import failed: " + response);
        }
        return response.body().get("id").asString();
    }

    Response postBytes(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    private Response send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
        return new Response(
                response.statusCode(),
                body,
                response.headers().firstValue("Location").orElse(null));
    }
}
