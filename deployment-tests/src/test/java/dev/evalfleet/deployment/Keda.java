package dev.evalfleet.deployment;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;

/** Typed KEDA resources (keda.sh/v1alpha1), which fabric8's model does not have. */
final class Keda {

    private Keda() {}

    sealed interface Resource permits ScaledObject, TriggerAuthentication {
        String kind();

        ObjectMeta metadata();
    }

    record ScaledObject(String apiVersion, String kind, ObjectMeta metadata, ScaledObjectSpec spec)
            implements Resource {}

    record ScaledObjectSpec(
            ScaleTargetRef scaleTargetRef,
            Integer pollingInterval,
            Integer cooldownPeriod,
            Integer idleReplicaCount,
            Integer minReplicaCount,
            Integer maxReplicaCount,
            Map<String, Object> advanced,
            Map<String, Object> fallback,
            List<Trigger> triggers) {}

    record ScaleTargetRef(String apiVersion, String kind, String name, String envSourceContainerName) {}

    record Trigger(
            String type,
            String name,
            String metricType,
            Boolean useCachedMetrics,
            Map<String, String> metadata,
            AuthenticationRef authenticationRef) {}

    record AuthenticationRef(String name, String kind) {}

    record TriggerAuthentication(String apiVersion, String kind, ObjectMeta metadata, TriggerAuthenticationSpec spec)
            implements Resource {}

    record TriggerAuthenticationSpec(List<SecretTargetRef> secretTargetRef, List<Map<String, String>> env) {}

    record SecretTargetRef(String parameter, String name, String key) {}
}
