package dev.evalfleet.worker.model;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.worker.WorkerProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
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

    public ModelEndpoints(WorkerProperties properties, MeterRegistry meterRegistry, ServerSignals signals) {
        for (WorkerProperties.Endpoint endpoint : properties.endpoints()) {
            if (byName.containsKey(endpoint.name())) {
                throw new IllegalStateException("model endpoint '%s' is configured twice".formatted(endpoint.name()));
            }
            EndpointDescriptor descriptor = new EndpointDescriptor(
                    endpoint.name(),
                    endpoint.provider().name().toLowerCase(),
                    endpoint.concurrency(),
                    endpoint.capacity());
            CircuitBreaker circuitBreaker = circuitBreaker(endpoint.name(), properties.circuitBreaker());
            byName.put(
                    endpoint.name(),
                    new ModelEndpoint(
                            descriptor,
                            clientFor(endpoint),
                            circuitBreaker,
                            properties.retry(),
                            meterRegistry,
                            signals));
            registerGauges(endpoint.name(), byName.get(endpoint.name()), meterRegistry);
        }
    }

    static CircuitBreaker circuitBreaker(String name, WorkerProperties.CircuitBreaker settings) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                // A 400 or 404 shows the server is up; only what is worth a retry counts against it.
                .recordException(ModelFailures::worthRetrying)
                .build();
        return CircuitBreaker.of(name, config);
    }

    private static void registerGauges(String name, ModelEndpoint endpoint, MeterRegistry meterRegistry) {
        for (CircuitBreaker.State state :
                List.of(CircuitBreaker.State.CLOSED, CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN)) {
            Gauge.builder(
                            "evalfleet.worker.model.circuit.state",
                            endpoint,
                            e -> e.circuitBreaker().getState() == state ? 1 : 0)
                    .description("1 for the state the endpoint's circuit breaker is in, 0 for the others")
                    .tag("endpoint", name)
                    .tag("state", state.name().toLowerCase())
                    .register(meterRegistry);
        }
        Gauge.builder("evalfleet.worker.model.requests.in.flight", endpoint, ModelEndpoint::requestsInFlight)
                .description("Model requests in flight to the endpoint")
                .tag("endpoint", name)
                .register(meterRegistry);
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

    /** The endpoints, in configuration order. */
    List<ModelEndpoint> all() {
        return List.copyOf(byName.values());
    }

    /** Names of the endpoints, in configuration order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
