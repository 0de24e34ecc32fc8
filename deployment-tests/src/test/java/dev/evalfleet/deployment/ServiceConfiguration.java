package dev.evalfleet.deployment;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's {@code application.yml} lets a deployment set through the environment: the
 * {@code ${VAR:default}} placeholders, and the relaxed-binding names of its properties
 * ({@code evalfleet.worker.endpoints[1].base-url} is {@code EVALFLEET_WORKER_ENDPOINTS_1_BASEURL}).
 */
final class ServiceConfiguration {

    /** Read by the JVM or by Spring Boot for every application, whatever application.yml says. */
    static final Set<String> PLATFORM_VARIABLES =
            Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "SPRING_PROFILES_ACTIVE", "SPRING_APPLICATION_JSON", "TZ");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::[^}]*)?}");
    private static final Pattern PORT_DEFAULT = Pattern.compile("\\$\\{[A-Z_]+_PORT:(\\d+)}");
    private static final Pattern LIST_INDEX = Pattern.compile("_\\d+(_|$)");

    private final EvalfleetService service;
    private final Set<String> placeholders = new LinkedHashSet<>();
    private final Set<String> propertyVariables = new LinkedHashSet<>();
    private final int serverPort;

    private ServiceConfiguration(EvalfleetService service, String applicationYml) {
        this.service = service;
        Matcher placeholder = PLACEHOLDER.matcher(applicationYml);
        while (placeholder.find()) {
            placeholders.add(placeholder.group(1));
        }
        for (Object document : Repository.yamlDocuments(applicationYml)) {
            collectProperties("", document);
        }
        Object port = ((Map<?, ?>) Repository.yamlMap(applicationYml).get("server")).get("port");
        Matcher portDefault = PORT_DEFAULT.matcher(String.valueOf(port));
        this.serverPort =
                portDefault.matches() ? Integer.parseInt(portDefault.group(1)) : Integer.parseInt(String.valueOf(port));
    }

    static ServiceConfiguration of(EvalfleetService service) {
        return new ServiceConfiguration(
                service, Repository.read(service.module + "/src/main/resources/application.yml"));
    }

    EvalfleetService service() {
        return service;
    }

    Set<String> placeholders() {
        return placeholders;
    }

    int serverPort() {
        return serverPort;
    }

    /** Whether the service reads {@code variable}; list indices match any index. */
    boolean reads(String variable) {
        return PLATFORM_VARIABLES.contains(variable)
                || placeholders.contains(variable)
                || propertyVariables.contains(normalizeIndices(variable));
    }

    private void collectProperties(String prefix, Object node) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) ->
                    collectProperties(prefix.isEmpty() ? String.valueOf(key) : prefix + "." + key, value));
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                collectProperties(prefix + "[0]", item);
            }
        } else {
            propertyVariables.add(normalizeIndices(environmentName(prefix)));
        }
    }

    /** Spring Boot's mapping of a property name to an environment variable name. */
    static String environmentName(String property) {
        return property.replace("-", "")
                .replace("[", ".")
                .replace("]", "")
                .replace('.', '_')
                .toUpperCase(Locale.ROOT);
    }

    private static String normalizeIndices(String variable) {
        return LIST_INDEX.matcher(variable).replaceAll("_N$1");
    }
}
