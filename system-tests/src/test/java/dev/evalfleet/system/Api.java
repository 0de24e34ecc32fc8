package dev.evalfleet.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The coordinator's REST API, called over HTTP as curl would, with an API key as bearer token. */
record Api(String baseUrl, String apiKey, HttpClient http, JsonMapper json) {

    Api(String baseUrl, String apiKey) {
        this(baseUrl, apiKey, HttpClient.newHttpClient(), JsonMapper.builder().build());
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return json.readTree(getText(path));
    }

    String getText(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    JsonNode post(String path, String jsonBody) throws IOException, InterruptedException {
        return send(request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build());
    }

    JsonNode upload(String name, Path file) throws IOException, InterruptedException {
        return postFile("/api/datasets?name=" + name, file);
    }

    JsonNode postFile(String path, Path file) throws IOException, InterruptedException {
        String type = file.toString().endsWith(".gz") ? "application/gzip" : "application/x-ndjson";
        return send(request(path)
                .header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(file)))
                .build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + apiKey);
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    request.method() + " " + request.uri() + " -> " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }
}
