package dev.evalfleet.deployment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Kubernetes manifests into fabric8's typed model, strictly: the model's catch-all
 * {@code additionalProperties} is switched off, so an unknown or misspelt field fails the read
 * instead of disappearing into a map, and only the kinds evalfleet deploys are accepted.
 */
final class Kubernetes {

    /** apiVersion/kind → the type it is read as. Anything else is a wrong kind. */
    static final Map<String, Class<?>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("apps/v1/StatefulSet", StatefulSet.class),
            Map.entry("batch/v1/Job", Job.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("keda.sh/v1alpha1/ScaledObject", Keda.ScaledObject.class),
            Map.entry("keda.sh/v1alpha1/TriggerAuthentication", Keda.TriggerAuthentication.class));

    static final String KUSTOMIZATION_FILE = "kustomization.yaml";

    /** Files under k8s/ that no kustomization lists, on purpose. */
    static final Set<String> TEMPLATES = Set.of("k8s/base/secret-template.yaml");

    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    // fabric8 puts @JsonAnySetter on every type; without it unknown fields fail.
                    return Boolean.FALSE;
                }
            })
            .build();

    private Kubernetes() {}

    /** One document of a manifest file, read into its typed model. */
    record Resource(Path file, Object object) {

        String kind() {
            return object instanceof HasMetadata typed ? typed.getKind() : ((Keda.Resource) object).kind();
        }

        String name() {
            return metadata().getName();
        }

        ObjectMeta metadata() {
            return object instanceof HasMetadata typed ? typed.getMetadata() : ((Keda.Resource) object).metadata();
        }

        <T> boolean is(Class<T> type) {
            return type.isInstance(object);
        }

        <T> T as(Class<T> type) {
            return type.cast(object);
        }
    }

    static List<Resource> readManifest(Path file) {
        return readManifest(file, Repository.read(file));
    }

    static List<Resource> readManifest(Path file, String yaml) {
        List<Resource> resources = new ArrayList<>();
        for (Object document : Repository.yamlDocuments(yaml)) {
            resources.add(new Resource(file, readDocument(file, document)));
        }
        return resources;
    }

    static Object readDocument(Path file, Object document) {
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(file + ": a document is not a mapping");
        }
        String key = map.get("apiVersion") + "/" + map.get("kind");
        Class<?> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException(file + ": kind " + key + " is not one evalfleet deploys");
        }
        try {
            return STRICT.convertValue(document, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + key + ": " + e.getMessage(), e);
        }
    }

    static Kustomization readKustomization(Path file) {
        return STRICT.convertValue(Repository.yamlMap(Repository.read(file)), Kustomization.class);
    }

    /**
     * The resources a kustomization directory pulls in, following directories that hold a
     * kustomization of their own; keyed by file, in order. Generated Secrets come from
     * {@link #generatedSecrets}.
     */
    static Map<Path, List<Resource>> resourcesOf(Path directory) {
        Map<Path, List<Resource>> resources = new LinkedHashMap<>();
        Kustomization kustomization = readKustomization(directory.resolve(KUSTOMIZATION_FILE));
        for (String entry : kustomization.resourceEntries()) {
            Path target = directory.resolve(entry).normalize();
            if (Files.isDirectory(target)) {
                resources.putAll(resourcesOf(target));
            } else {
                resources.put(target, readManifest(target));
            }
        }
        return resources;
    }

    static List<Resource> flatResourcesOf(Path directory) {
        return resourcesOf(directory).values().stream().flatMap(List::stream).toList();
    }

    /** name → key → value of every Secret a kustomization (and the ones it includes) generates. */
    static Map<String, Map<String, String>> generatedSecrets(Path directory) {
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        Kustomization kustomization = readKustomization(directory.resolve(KUSTOMIZATION_FILE));
        for (String entry : kustomization.resourceEntries()) {
            Path target = directory.resolve(entry).normalize();
            if (Files.isDirectory(target)) {
                secrets.putAll(generatedSecrets(target));
            }
        }
        for (Kustomization.Generator generator : kustomization.secretGeneratorEntries()) {
            Map<String, String> values = new LinkedHashMap<>();
            for (String envs : generator.envEntries()) {
                values.putAll(Repository.envFile(directory.resolve(envs)));
            }
            for (String literal : generator.literalEntries()) {
                int equals = literal.indexOf('=');
                values.put(literal.substring(0, equals), literal.substring(equals + 1));
            }
            secrets.put(generator.name(), values);
        }
        return secrets;
    }
}
