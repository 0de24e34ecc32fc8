package dev.evalfleet.worker.model;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.evalfleet.worker.WorkerProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import org.springframework.stereotype.Component;

/**
 * What the model servers say about the models tasks ask for, asked once per endpoint and model and
 * reused for {@code evalfleet.worker.provenance.refresh}, so tasks share one question in flight.
 */
@Component
public class ModelIdentities {

    private record Key(String endpoint, String model) {}

    private final Map<String, ModelServerQuestions> servers = new HashMap<>();
    private final AsyncLoadingCache<Key, ModelIdentity> identities;

    public ModelIdentities(WorkerProperties properties) {
        WorkerProperties.Provenance settings = properties.provenance();
        for (WorkerProperties.Endpoint endpoint : properties.endpoints()) {
            servers.put(endpoint.name(), new ModelServerQuestions(endpoint, settings.timeout()));
        }
        this.identities = Caffeine.newBuilder()
                .expireAfterWrite(settings.refresh())
                .maximumSize(1_000)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .buildAsync(key -> identify(key.endpoint(), key.model()));
    }

    /** Completes with what the endpoint's server says, or {@link ModelIdentity#UNKNOWN}; never fails. */
    public CompletableFuture<ModelIdentity> of(String endpoint, String model) {
        if (endpoint == null || !servers.containsKey(endpoint)) {
            return CompletableFuture.completedFuture(ModelIdentity.UNKNOWN);
        }
        return identities.get(new Key(endpoint, model == null ? "" : model));
    }

    private ModelIdentity identify(String endpoint, String model) {
        return servers.get(endpoint).identify(model);
    }
}
