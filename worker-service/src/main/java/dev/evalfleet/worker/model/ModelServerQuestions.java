package dev.evalfleet.worker.model;

import dev.evalfleet.worker.WorkerProperties;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks one model server what it serves: Ollama's {@code /api/tags} (digest), {@code /api/show}
 * (details) and {@code /api/version}; an OpenAI-compatible server's {@code /models} and, where it is
 * vLLM, {@code /version} beside {@code /v1}. Each question may fail on its own and only leaves its
 * part unknown; none throws.
 */
final class ModelServerQuestions {

    private static final Logger log = LoggerFactory.getLogger(ModelServerQuestions.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String OPENAI_PATH = "/v1";

    private final WorkerProperties.Endpoint endpoint;
    private final RestClient http;

    ModelServerQuestions(WorkerProperties.Endpoint endpoint, Duration timeout) {
        this.endpoint = endpoint;
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(timeout);
        RestClient.Builder builder = RestClient.builder().requestFactory(requestFactory);
        if (StringUtils.hasText(endpoint.apiKey())) {
            builder.defaultHeader("Authorization", "Bearer " + endpoint.apiKey());
        }
        this.http = builder.build();
    }

    ModelIdentity identify(String model) {
        return switch (endpoint.provider()) {
            case OLLAMA -> ollama(model);
            case OPENAI -> openAi(model);
            case REFERENCE -> ModelIdentity.UNKNOWN;
        };
    }

    private ModelIdentity ollama(String model) {
        String base = trimmed(endpoint.baseUrl());
        JsonNode tags = ask("tags", () -> get(base + "/api/tags"));
        JsonNode show = ask("show", () -> post(base + "/api/show", Map.of("model", model)));
        JsonNode version = ask("version", () -> get(base + "/api/version"));
        String digest = null;
        for (JsonNode listed : tags.path("models")) {
            if (sameOllamaModel(model, text(listed, "name")) || sameOllamaModel(model, text(listed, "model"))) {
                digest = text(listed, "digest");
                break;
            }
        }
        JsonNode details = show.path("details");
        return new ModelIdentity(
                digest,
                pairs(
                        "format", text(details, "format"),
                        "family", text(details, "family"),
                        "parameter_size", text(details, "parameter_size"),
                        "quantization_level", text(details, "quantization_level"),
                        "parent_model", text(details, "parent_model")),
                text(version, "version"));
    }

    /** Ollama lists a model asked for without a tag under {@code :latest}. */
    static boolean sameOllamaModel(String asked, String listed) {
        if (asked == null || listed == null) {
            return false;
        }
        return listed.equals(asked) || (!asked.contains(":") && listed.equals(asked + ":latest"));
    }

    private ModelIdentity openAi(String model) {
        String base = trimmed(endpoint.baseUrl());
        JsonNode models = ask("models", () -> get(base + "/models"));
        String details = null;
        for (JsonNode listed : models.path("data")) {
            if (model != null && model.equals(text(listed, "id"))) {
                details = pairs(
                        "owned_by", text(listed, "owned_by"),
                        "root", text(listed, "root"),
                        "max_model_len", text(listed, "max_model_len"));
                break;
            }
        }
        // vLLM answers GET /version at the server root; other servers do not, and stay unknown.
        String version = null;
        if (base.endsWith(OPENAI_PATH)) {
            String root = base.substring(0, base.length() - OPENAI_PATH.length());
            version = text(ask("version", () -> get(root + "/version")), "version");
        }
        return new ModelIdentity(null, details, version);
    }

    private JsonNode ask(String what, Supplier<String> call) {
        try {
            String body = call.get();
            return body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
        } catch (RuntimeException failed) {
            log.debug("Model endpoint '{}' did not answer {}: {}", endpoint.name(), what, failed.toString());
            return JSON.missingNode();
        }
    }

    private String get(String url) {
        return http.get().uri(url).retrieve().body(String.class);
    }

    private String post(String url, Map<String, String> body) {
        return http.post()
                .uri(url)
                .contentType(MediaType.APPLICATION_JSON)
                .body(JSON.writeValueAsString(body))
                .retrieve()
                .body(String.class);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        String text = value.asString();
        return text.isBlank() ? null : text;
    }

    /** {@code key=value} pairs of the values that are known, or {@code null} when none is. */
    private static String pairs(String... keysAndValues) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                pairs.add(keysAndValues[i] + "=" + keysAndValues[i + 1]);
            }
        }
        return pairs.isEmpty() ? null : String.join(", ", pairs);
    }

    private static String trimmed(String baseUrl) {
        String base = baseUrl.strip();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
