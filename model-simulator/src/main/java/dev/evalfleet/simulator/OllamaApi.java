package dev.evalfleet.simulator;

import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** Ollama's {@code /api/chat}, {@code /api/tags}, {@code /api/show} and {@code /api/version} bodies. */
record OllamaApi(ObjectMapper json, String modelName) implements ChatApi {

    // What /api/version reports; says plainly that this is the stand-in.
    static final String VERSION = "0.0.0-evalfleet-simulator";

    @Override
    public ObjectNode completion(ChatRequest request, String content, Duration took) {
        TokenEstimate tokens = TokenEstimate.of(request.promptChars(), content);
        ObjectNode body = json.createObjectNode();
        body.put("model", request.model());
        body.put("created_at", Instant.now().toString());
        body.putObject("message").put("role", "assistant").put("content", content);
        body.put("done", true);
        body.put("done_reason", "stop");
        body.put("total_duration", took.toNanos());
        body.put("load_duration", 0L);
        body.put("prompt_eval_count", tokens.prompt());
        body.put("prompt_eval_duration", 0L);
        body.put("eval_count", tokens.completion());
        body.put("eval_duration", took.toNanos());
        return body;
    }

    @Override
    public ObjectNode error(String message) {
        return json.createObjectNode().put("error", message);
    }

    ObjectNode tags() {
        ObjectNode body = json.createObjectNode();
        ObjectNode model = body.putArray("models").addObject();
        model.put("name", modelName);
        model.put("model", modelName);
        model.put("modified_at", Instant.EPOCH.toString());
        model.put("size", 0L);
        model.put("digest", "0".repeat(64));
        model.putObject("details")
                .put("format", "none")
                .put("family", "stand-in")
                .put("parameter_size", "0")
                .put("quantization_level", "none");
        return body;
    }

    /** What {@code /api/show} tells of the model asked for: stand-in details, whatever its name. */
    ObjectNode show() {
        ObjectNode body = json.createObjectNode();
        body.put("modelfile", "# evalfleet model simulator: a stand-in model server, not a model");
        body.put("parameters", "");
        body.put("template", "{{ .Prompt }}");
        body.putObject("details")
                .put("parent_model", "")
                .put("format", "none")
                .put("family", "evalfleet-simulator")
                .put("parameter_size", "0")
                .put("quantization_level", "none");
        body.putObject("model_info").put("general.architecture", "evalfleet-simulator");
        body.putArray("capabilities").add("completion");
        body.put("modified_at", Instant.EPOCH.toString());
        return body;
    }

    ObjectNode version() {
        return json.createObjectNode().put("version", VERSION);
    }
}
