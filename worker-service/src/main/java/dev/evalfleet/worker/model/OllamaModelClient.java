package dev.evalfleet.worker.model;

import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.worker.WorkerProperties;
import io.micrometer.observation.ObservationRegistry;
import java.net.http.HttpClient;
import java.util.List;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.ollama.management.ModelManagementOptions;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/** Ollama's native chat API ({@code POST /api/chat}) through Spring AI's {@link OllamaChatModel}. */
class OllamaModelClient implements ModelClient {

    private final OllamaChatModel chatModel;

    OllamaModelClient(WorkerProperties.Endpoint endpoint) {
        // HTTP/1.1: the JDK client's default h2c upgrade on plain http confuses some servers.
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(endpoint.connectTimeout())
                .build();
        JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(endpoint.requestTimeout());
        OllamaApi api = OllamaApi.builder()
                .baseUrl(endpoint.baseUrl())
                .restClientBuilder(RestClient.builder().requestFactory(requestFactory))
                .build();
        this.chatModel = OllamaChatModel.builder()
                .ollamaApi(api)
                // The worker retries with its own budget, so the task runner sees every failure.
                .retryTemplate(
                        new RetryTemplate(RetryPolicy.builder().maxRetries(0).build()))
                .modelManagementOptions(ModelManagementOptions.defaults())
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
                response.getResult().getOutput().getText(),
                reported(usage.getPromptTokens()),
                reported(usage.getCompletionTokens()),
                0);
    }

    private static OllamaChatOptions options(String model, GenerationSettings generation) {
        var options = OllamaChatOptions.builder().model(model);
        if (generation.temperature() != null) {
            options.temperature(generation.temperature());
        }
        if (generation.topP() != null) {
            options.topP(generation.topP());
        }
        if (generation.maxTokens() != null) {
            options.numPredict(generation.maxTokens());
        }
        if (generation.seed() != null) {
            options.seed(Seeds.toInt(generation.seed()));
        }
        if (!generation.stop().isEmpty()) {
            options.stop(generation.stop());
        }
        return options.build();
    }

    /** Ollama reports 0 when it did not count (e.g. a cached prompt); that is "unknown", not zero. */
    private static Integer reported(Integer tokens) {
        return tokens == null || tokens == 0 ? null : tokens;
    }
}
