package dev.evalfleet.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI-compatible {@code /v1/chat/completions} and {@code /v1/models} bodies, and vLLM's
 * {@code /version}.
 */
record OpenAiApi(ObjectMapper json, String modelName) implements ChatApi {

    @Override
    public ObjectNode completion(ChatRequest request, String content, Duration took) {
        TokenEstimate tokens = TokenEstimate.of(request.promptChars(), content);
        ObjectNode body = json.createObjectNode();
        body.put("id", "chatcmpl-" + UUID.randomUUID());
        body.put("object", "chat.completion");
        body.put("created", Instant.now().getEpochSecond());
        body.put("model", request.model());
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message")
                .put("role", "assistant")
                .put("content", content)
                .putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        body.putObject("usage")
                .put("prompt_tokens", tokens.prompt())
                .put("completion_tokens", tokens.completion())
                .put("total_tokens", tokens.total());
        return body;
    }

    @Override
    public ObjectNode error(String message) {
        ObjectNode body = json.createObjectNode();
        body.putObject("error")
                .put("message", message)
                .put("type", "simulator_error")
                .putNull("code");
        return body;
    }

    ObjectNode models() {
        ObjectNode body = json.createObjectNode().put("object", "list");
        body.putArray("data")
                .addObject()
                .put("id", modelName)
                .put("object", "model")
                .put("created", 0L)
                .put("owned_by", "evalfleet")
                .put("root", "evalfleet-simulator");
        return body;
    }

    ObjectNode version() {
        return json.createObjectNode().put("version", OllamaApi.VERSION);
    }
}
