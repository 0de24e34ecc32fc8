package dev.evalfleet.deployment;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A typed model of the part of the Compose specification evalfleet uses. Reading fails on any
 * field it does not know, so a typo ({@code depends_on: {x: {conditon: …}}}) or a field added
 * without a check here is caught. Top-level and service-level {@code x-} extension fields are
 * allowed, as Compose allows them.
 */
record Compose(Map<String, Service> services, Map<String, Network> networks, Map<String, Volume> volumes) {

    record Service(
            String image,
            Build build,
            String hostname,
            @JsonProperty("container_name") String containerName,
            List<String> profiles,
            List<String> entrypoint,
            List<String> command,
            Map<String, String> environment,
            List<String> ports,
            List<String> expose,
            List<String> volumes,
            List<String> tmpfs,
            @JsonProperty("depends_on") Map<String, Dependency> dependsOn,
            Healthcheck healthcheck,
            Deploy deploy,
            @JsonProperty("read_only") Boolean readOnly,
            @JsonProperty("cap_drop") List<String> capDrop,
            @JsonProperty("cap_add") List<String> capAdd,
            @JsonProperty("security_opt") List<String> securityOpt,
            @JsonProperty("pids_limit") Integer pidsLimit,
            @JsonProperty("stop_grace_period") String stopGracePeriod,
            String restart,
            List<String> networks) {

        Map<String, String> env() {
            return environment == null ? Map.of() : environment;
        }

        boolean isOneShot() {
            return "no".equals(restart);
        }
    }

    record Build(String context, String dockerfile) {}

    record Dependency(String condition) {}

    record Healthcheck(
            List<String> test,
            String interval,
            String timeout,
            Integer retries,
            @JsonProperty("start_period") String startPeriod) {}

    record Deploy(Resources resources) {}

    record Resources(Limits limits, Limits reservations) {}

    record Limits(String cpus, String memory) {}

    record Network(Boolean internal, String driver) {}

    record Volume(String driver) {}

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    static Compose read(String yaml) {
        Map<String, Object> document = Repository.yamlMap(yaml);
        document.keySet().removeIf(key -> key.startsWith("x-"));
        if (document.get("services") instanceof Map<?, ?> services) {
            for (Object service : services.values()) {
                if (service instanceof Map<?, ?> fields) {
                    fields.keySet().removeIf(key -> String.valueOf(key).startsWith("x-"));
                }
            }
        }
        return STRICT.convertValue(document, Compose.class);
    }

    static Compose load() {
        return read(Repository.read("docker-compose.yml"));
    }

    /** The values docker compose substitutes: .env, as the shell does not set them here. */
    static Map<String, String> dotEnv() {
        return Repository.envFile(Repository.path(".env"));
    }

    /** {@code value} with ${VAR}, ${VAR:-default}, ${VAR-default} and ${VAR:?error} substituted. */
    static String interpolate(String value, Map<String, String> variables) {
        if (value == null) {
            return null;
        }
        Matcher matcher = VARIABLE.matcher(value.replace("$$", "\u0000"));
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String set = variables.get(matcher.group(1));
            String operator = matcher.group(2);
            String replacement;
            if (operator == null) {
                replacement = set == null ? "" : set;
            } else if (operator.endsWith("?")) {
                if (set == null || (operator.startsWith(":") && set.isEmpty())) {
                    throw new IllegalArgumentException("Required variable unset: " + matcher.group(1));
                }
                replacement = set;
            } else {
                boolean useDefault = set == null || (operator.startsWith(":") && set.isEmpty());
                replacement = useDefault ? matcher.group(3) : set;
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString().replace("\u0000", "$");
    }

    /**
     * The variable {@code value} requires, when it is nothing but {@code ${VARIABLE:?message}}: set and
     * not empty, or compose refuses to start, so no default stands in for a secret.
     */
    static java.util.Optional<String> requiredVariable(String value) {
        Matcher matcher = VARIABLE.matcher(value == null ? "" : value.strip());
        return matcher.matches() && ":?".equals(matcher.group(2))
                ? java.util.Optional.of(matcher.group(1))
                : java.util.Optional.empty();
    }

    /** The variable {@code value} is, when it is nothing but one reference ({@code ${VARIABLE…}}, any form). */
    static java.util.Optional<String> referencedVariable(String value) {
        Matcher matcher = VARIABLE.matcher(value == null ? "" : value.strip());
        return matcher.matches() ? java.util.Optional.of(matcher.group(1)) : java.util.Optional.empty();
    }

    /** Whether {@code value} is nothing but one variable reference, i.e. holds no literal. */
    static boolean isVariableReference(String value) {
        return value != null && VARIABLE.matcher(value.strip()).matches();
    }

    Map<String, Service> servicesInProfiles(List<String> activeProfiles) {
        Map<String, Service> active = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            if (service.profiles() == null || service.profiles().stream().anyMatch(activeProfiles::contains)) {
                active.put(name, service);
            }
        });
        return active;
    }
}
