package dev.evalfleet.worker.model;

import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.worker.WorkerProperties;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.util.StringUtils;

/**
 * OpenAI-compatible chat completions ({@code POST {baseUrl}/chat/completions}: vLLM, llama.cpp,
 * LM Studio, Ollama's {@code /v1}) through Spring AI's {@link OpenAiChatModel}.
 */
class OpenAiModelClient implements ModelClient {

    // openai-java refuses to build a client without a key; local servers ignore it.
    private static final String NO_API_KEY = "not-needed";

    private final OpenAiChatModel chatModel;

    OpenAiModelClient(WorkerProperties.Endpoint endpoint) {
        this.chatModel = OpenAiChatModel.builder()
                .options(OpenAiChatOptions.builder()
                        .baseUrl(endpoint.baseUrl())
                        // Explicit, so a stray OPENAI_API_KEY in the environment never leaks to a local server.
                        .apiKey(StringUtils.hasText(endpoint.apiKey()) ? endpoint.apiKey() : NO_API_KEY)
                        .timeout(endpoint.requestTimeout())
                        // The worker retries with its own budget, so the task runner sees every failure.
                        .maxRetries(0)
                        .build())
                .observationRegistry(ObservationRegistry.NOOP)
                .build();
    }

    @Override
    public ModelAnswer answer(ModelRequest request) {
        Prompt prompt = new Prompt(
                List.of(
                        new SystemMessage(request.prompt().system()),
                        new UserMessage(request.prompt().user())),
                options(request.model(), request.generation()));
        ChatResponse response = chatModel.call(prompt);
        var usage = response.getMetadata().getUsage();
        return new ModelAnswer(
                response.getResult().getOutput().getText(), usage.getPromptTokens(), usage.getCompletionTokens(), 0);
    }

    private static OpenAiChatOptions options(String model, GenerationSettings generation) {
        var options = OpenAiChatOptions.builder().model(model);
        if (generation.temperature() != null) {
            options.temperature(generation.temperature());
        }
        if (generation.topP() != null) {
            options.topP(generation.topP());
        }
        if (generation.maxTokens() != null) {
            options.maxTokens(generation.maxTokens());
        }
        if (generation.seed() != null) {
            options.seed(Seeds.toInt(generation.seed()));
        }
        if (!generation.stop().isEmpty()) {
            options.stop(generation.stop());
        }
        return options.build();
    }
}
