package dev.evalfleet.worker.model;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Shows each model endpoint's circuit breaker and load under {@code /actuator/health}. Always UP:
 * a model server that is down is not cured by restarting the worker, and the worker still serves
 * its other endpoints; the breaker state says which ones are failing fast.
 */
@Component
class ModelEndpointsHealthIndicator implements HealthIndicator {

    private final ModelEndpoints endpoints;

    ModelEndpointsHealthIndicator(ModelEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        for (ModelEndpoint endpoint : endpoints.all()) {
            health.withDetail(endpoint.descriptor().name(), details(endpoint));
        }
        return health.build();
    }

    private static Map<String, Object> details(ModelEndpoint endpoint) {
        CircuitBreaker.Metrics metrics = endpoint.circuitBreaker().getMetrics();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", endpoint.descriptor().provider());
        details.put("circuitBreaker", endpoint.circuitBreaker().getState().name());
        // -1 until the breaker has seen its minimum number of calls.
        details.put("failureRate", metrics.getFailureRate());
        details.put("notPermittedCalls", metrics.getNumberOfNotPermittedCalls());
        details.put("requestsInFlight", endpoint.requestsInFlight());
        details.put("maxConcurrency", endpoint.descriptor().maxConcurrency());
        return details;
    }
}
