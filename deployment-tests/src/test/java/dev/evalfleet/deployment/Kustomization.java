package dev.evalfleet.deployment;

import java.util.List;
import java.util.Map;

/** A typed kustomization.yaml (kustomize.config.k8s.io/v1beta1), with the fields evalfleet uses. */
record Kustomization(
        String apiVersion,
        String kind,
        String namespace,
        List<LabelSet> labels,
        List<String> resources,
        List<String> components,
        List<Generator> secretGenerator,
        List<Generator> configMapGenerator,
        List<Image> images,
        List<Replica> replicas,
        List<Patch> patches) {

    record LabelSet(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates) {}

    record Generator(
            String name, String type, List<String> envs, List<String> literals, List<String> files, Options options) {

        List<String> envEntries() {
            return envs == null ? List.of() : envs;
        }

        List<String> literalEntries() {
            return literals == null ? List.of() : literals;
        }
    }

    record Options(Boolean disableNameSuffixHash, Map<String, String> labels, Map<String, String> annotations) {}

    record Image(String name, String newName, String newTag, String digest) {}

    record Replica(String name, Integer count) {}

    record Patch(String path, String patch, Map<String, Object> target, Map<String, Object> options) {}

    List<String> resourceEntries() {
        return resources == null ? List.of() : resources;
    }

    List<Generator> secretGeneratorEntries() {
        return secretGenerator == null ? List.of() : secretGenerator;
    }
}
