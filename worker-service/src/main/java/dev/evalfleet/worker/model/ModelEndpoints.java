package dev.evalfleet.worker.model;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.worker.WorkerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** The model endpoints this worker serves, by name, built from {@code evalfleet.worker.endpoints}. */
@Component
public class ModelEndpoints {

    private final Map<String, ModelEndpoint> byName = new LinkedHashMap<>();

    public ModelEndpoints(WorkerProperties properties, MeterRegistry meterRegistry) {
        for (WorkerProperties.Endpoint endpoint : properties.endpoints()) {
            if (byName.containsKey(endpoint.name())) {
                throw new IllegalStateException("model endpoint '%s' is configured twice".formatted(endpoint.name()));
            }
            EndpointDescriptor descriptor = new EndpointDescriptor(
                    endpoint.name(), endpoint.provider().name().toLowerCase(), endpoint.maxConcurrency());
            byName.put(
                    endpoint.name(),
                    new ModelEndpoint(descriptor, clientFor(endpoint), properties.retry(), meterRegistry));
        }
    }

    private static ModelClient clientFor(WorkerProperties.Endpoint endpoint) {
        if (endpoint.provider() != WorkerProperties.Provider.REFERENCE && !StringUtils.hasText(endpoint.baseUrl())) {
            throw new IllegalStateException(
                    "model endpoint '%s' (%s) needs a base-url".formatted(endpoint.name(), endpoint.provider()));
        }
        return switch (endpoint.provider()) {
            case OLLAMA -> new OllamaModelClient(endpoint);
            case OPENAI -> new OpenAiModelClient(endpoint);
            case REFERENCE -> new ReferenceModelClient();
        };
    }

    public Optional<ModelEndpoint> find(String name) {
        return Optional.ofNullable(name).map(byName::get);
    }

    public List<EndpointDescriptor> descriptors() {
        return byName.values().stream().map(ModelEndpoint::descriptor).toList();
    }

    /** Names of the endpoints, in configuration order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
