package dev.evalfleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The stand-in's slots, queue and serving statistics, over real HTTP. */
class CapacityTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private Path dataset;
    private final List<ModelSimulator> started = new ArrayList<>();

    @BeforeEach
    void writeDataset() throws IOException {
        dataset = TinyDataset.write(dir);
    }

    @AfterEach
    void stopSimulators() {
        started.forEach(ModelSimulator::close);
    }

    @Test
    void atMostCapacityRequestsAreServedAtOnceAndTheOthersWaitTheirTurn() throws Exception {
        ModelSimulator simulator =
                start(SimulatorConfig.of(dataset).withCapacity(2).withLatency(Duration.ofMillis(200)));

        long began = System.nanoTime();
        List<HttpResponse<String>> replies = concurrently(simulator, "/api/chat", 6);
        Duration wall = Duration.ofNanos(System.nanoTime() - began);

        assertThat(replies).extracting(HttpResponse::statusCode).containsOnly(200);
        // two slots, three rounds of 200 ms each
        assertThat(wall).isGreaterThanOrEqualTo(Duration.ofMillis(3 * 200));
        JsonNode serving = stats(simulator).path("serving");
        assertThat(serving.path("capacity").asInt()).isEqualTo(2);
        assertThat(serving.path("peakInFlight").asInt()).isEqualTo(2);
        assertThat(serving.path("inFlight").asInt()).isZero();
        assertThat(serving.path("served").asLong()).isEqualTo(6);
        assertThat(serving.path("rejected").asLong()).isZero();
        assertThat(serving.path("peakQueued").asInt()).isPositive();
        assertThat(serving.path("queueWaitSeconds").asDouble()).isPositive();
        assertThat(serving.path("maxQueueWaitSeconds").asDouble()).isPositive();
        assertThat(serving.path("busySlotSeconds").asDouble()).isGreaterThanOrEqualTo(6 * 0.2);
        assertThat(serving.path("spanSeconds").asDouble()).isGreaterThanOrEqualTo(3 * 0.2);
        assertThat(serving.path("firstStartedAt").asString()).isNotBlank();
        assertThat(serving.path("lastEndedAt").asString()).isNotBlank();
        assertThat(serving.path("busyShare").asDouble()).isBetween(0.5, 1.0);
    }

    @Test
    void ollamaIsBusyBeyondTheQueueLimit() throws Exception {
        ModelSimulator simulator = start(
                SimulatorConfig.of(dataset).withCapacity(1).withQueueLimit(1).withLatency(Duration.ofMillis(1000)));

        List<HttpResponse<String>> replies = concurrently(simulator, "/api/chat", 4);

        assertThat(replies).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 200, 503, 503);
        assertThat(replies)
                .filteredOn(reply -> reply.statusCode() == 503)
                .allSatisfy(reply -> assertThat(
                                JSON.readTree(reply.body()).path("error").asString())
                        .contains("server busy"));
        JsonNode serving = stats(simulator).path("serving");
        assertThat(serving.path("rejected").asLong()).isEqualTo(2);
        assertThat(serving.path("served").asLong()).isEqualTo(2);
        assertThat(serving.path("queueLimit").asInt()).isEqualTo(1);
    }

    @Test
    void openAiApiCanAnswerTooManyRequestsBeyondTheQueueLimit() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset)
                .withCapacity(1)
                .withQueueLimit(0)
                .withOverloadStatus(429)
                .withLatency(Duration.ofMillis(1000)));

        List<HttpResponse<String>> replies = concurrently(simulator, "/v1/chat/completions", 3);

        assertThat(replies).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 429, 429);
        assertThat(stats(simulator).path("serving").path("rejected").asLong()).isEqualTo(2);
    }

    @Test
    void resetStartsTheStatisticsAfresh() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset).withCapacity(2));
        concurrently(simulator, "/api/chat", 3);
        assertThat(stats(simulator).path("serving").path("served").asLong()).isEqualTo(3);

        HttpResponse<String> reset = HTTP.send(
                HttpRequest.newBuilder(URI.create(simulator.baseUrl() + Endpoints.STATS_RESET_PATH))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(reset.statusCode()).isEqualTo(200);
        JsonNode stats = stats(simulator);
        assertThat(stats.path("total").asLong()).isZero();
        assertThat(stats.path("requests").isEmpty()).isTrue();
        JsonNode serving = stats.path("serving");
        assertThat(serving.path("served").asLong()).isZero();
        assertThat(serving.path("peakInFlight").asInt()).isZero();
        assertThat(serving.path("busySlotSeconds").asDouble()).isZero();
        assertThat(serving.path("firstStartedAt").isNull()).isTrue();
        assertThat(serving.path("busyShare").isNull()).isTrue();
    }

    private ModelSimulator start(SimulatorConfig config) {
        ModelSimulator simulator = ModelSimulator.start(config);
        started.add(simulator);
        return simulator;
    }

    private static List<HttpResponse<String>> concurrently(ModelSimulator simulator, String path, int count) {
        List<CompletableFuture<HttpResponse<String>>> replies = IntStream.range(0, count)
                .mapToObj(i -> HTTP.sendAsync(
                        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(chat(TinyDataset.SHOUT.prompt())))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        return replies.stream().map(CompletableFuture::join).toList();
    }

    private static String chat(String userMessage) {
        var body = JSON.createObjectNode().put("model", "some-model").put("stream", false);
        body.putArray("messages")
                .add(JSON.createObjectNode().put("role", "user").put("content", userMessage));
        return body.toString();
    }

    private static JsonNode stats(ModelSimulator simulator) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(simulator.baseUrl() + Endpoints.STATS_PATH))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
