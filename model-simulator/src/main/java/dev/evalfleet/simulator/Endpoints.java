package dev.evalfleet.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Routes every request of the stand-in server and writes JSON replies. */
final class Endpoints implements HttpHandler {

    static final String STATS_PATH = "/_simulator/stats";
    static final String STATS_RESET_PATH = STATS_PATH + "/reset";

    private final SimulatorConfig config;
    private final ObjectMapper json;
    private final ChatAnswerer answerer;
    private final Traffic traffic;
    private final ServingSlots slots;
    private final OllamaApi ollama;
    private final OpenAiApi openAi;
    private final Dice dice;
    private final AtomicLong chatRequests = new AtomicLong();

    Endpoints(SimulatorConfig config, ObjectMapper json, ChatAnswerer answerer, Traffic traffic, ServingSlots slots) {
        this.config = config;
        this.json = json;
        this.answerer = answerer;
        this.traffic = traffic;
        this.slots = slots;
        this.ollama = new OllamaApi(json, config.modelName());
        this.openAi = new OpenAiApi(json, config.modelName());
        this.dice = new Dice(config.seed());
    }

    private record Reply(int status, JsonNode body) {

        static Reply ok(JsonNode body) {
            return new Reply(200, body);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.startsWith(STATS_PATH)) {
            traffic.request(path);
        }
        ChatApi api = ChatApi.forPath(path, ollama, openAi);
        try (exchange) {
            Reply reply;
            try {
                reply = route(exchange.getRequestMethod(), path, exchange, api);
            } catch (BadRequestException e) {
                reply = new Reply(400, api.error(e.getMessage()));
            } catch (RuntimeException e) {
                reply = new Reply(500, api.error("stand-in model server failed: " + e));
            }
            send(exchange, reply);
        }
    }

    private Reply route(String method, String path, HttpExchange exchange, ChatApi api) throws IOException {
        return switch (method + " " + path) {
            case "POST /api/chat" -> chat(exchange, ollama);
            case "POST /v1/chat/completions" -> chat(exchange, openAi);
            case "GET /api/tags" -> Reply.ok(ollama.tags());
            case "GET /api/version" -> Reply.ok(ollama.version());
            case "POST /api/show" -> Reply.ok(ollama.show());
            case "GET /v1/models" -> Reply.ok(openAi.models());
            case "GET /version" -> Reply.ok(openAi.version());
            case "GET " + STATS_PATH -> Reply.ok(json.valueToTree(traffic.snapshot()));
            case "POST " + STATS_RESET_PATH -> {
                traffic.reset();
                yield Reply.ok(json.valueToTree(traffic.snapshot()));
            }
            case "GET /" ->
                Reply.ok(json.createObjectNode()
                        .put("status", "running")
                        .put("note", "evalfleet model simulator: a stand-in model server, not a model"));
            default -> new Reply(404, api.error("no such endpoint: " + method + " " + path));
        };
    }

    private Reply chat(HttpExchange exchange, ChatApi api) throws IOException {
        ChatRequest request = ChatRequest.from(readJson(exchange.getRequestBody()), config.modelName());
        if (request.stream()) {
            throw new BadRequestException("the stand-in model server answers only with \"stream\": false");
        }
        try (ServingSlots.Slot slot = slots.acquire()) {
            if (slot == null) {
                return overloaded(api);
            }
            // numbered in the order requests get a slot, so the seed repeats what the server does
            long requestNumber = chatRequests.getAndIncrement();
            waitOut(delay(requestNumber));
            if (dice.roll(requestNumber, Dice.FAILURE) < config.failureRate()) {
                traffic.injectedFailure();
                return new Reply(
                        500,
                        api.error(
                                "injected failure (stand-in model server, failure rate " + config.failureRate() + ")"));
            }
            String content = answerer.answer(request.lastUserMessage());
            return Reply.ok(api.completion(request, content, slot.served()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a slot", e);
        }
    }

    // Ollama answers 503 "server busy" when its queue is full; OpenAI-compatible servers 503 or 429.
    private Reply overloaded(ChatApi api) {
        int status = api instanceof OpenAiApi ? config.capacity().overloadStatus() : 503;
        return new Reply(
                status,
                api.error("server busy, please try again: " + config.capacity().slots() + " requests served and "
                        + config.capacity().queueLimit() + " waiting (stand-in model server)"));
    }

    private Duration delay(long requestNumber) {
        long jitterNanos =
                (long) (dice.roll(requestNumber, Dice.JITTER) * config.jitter().toNanos());
        return config.latency().plusNanos(jitterNanos);
    }

    // The simulated model's thinking time; runs on a virtual thread, so waiting costs nothing.
    private static void waitOut(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating latency", e);
        }
    }

    private JsonNode readJson(InputStream body) throws IOException {
        try {
            JsonNode node = json.readTree(body.readAllBytes());
            if (node == null || !node.isObject()) {
                throw new BadRequestException("request body must be a JSON object");
            }
            return node;
        } catch (JacksonException e) {
            throw new BadRequestException("request body is not JSON: " + e.getOriginalMessage());
        }
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = json.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
