package dev.evalfleet.simulator;

import java.time.Duration;
import tools.jackson.databind.node.ObjectNode;

/** One of the chat wire formats the stand-in speaks: how a completion and an error look. */
sealed interface ChatApi permits OllamaApi, OpenAiApi {

    ObjectNode completion(ChatRequest request, String content, Duration took);

    ObjectNode error(String message);

    /** The wire format whose error shape fits a path, so even a 404 reads as the client expects. */
    static ChatApi forPath(String path, OllamaApi ollama, OpenAiApi openAi) {
        return path.startsWith("/v1/") ? openAi : ollama;
    }
}
