package dev.evalfleet.deployment;

import java.util.List;

/**
 * The secrets that decide who may call evalfleet's services, under the variable each service reads, with
 * the deployments that are given it: the coordinator's bootstrap admin key; the token the workers show the
 * scoring service (one value for both sides), which Prometheus shows it too; and the key Prometheus scrapes
 * the coordinator with.
 */
enum AccessSecret {
    ADMIN_KEY("EVALFLEET_ADMIN_KEY", "coordinator"),
    SCORING_TOKEN("EVALFLEET_SCORING_TOKEN", "worker", "scoring", "prometheus"),
    METRICS_KEY("EVALFLEET_METRICS_KEY", "prometheus");

    final String variable;
    final List<String> holders;

    AccessSecret(String variable, String... holders) {
        this.variable = variable;
        this.holders = List.of(holders);
    }

    /** Whether the deployment named {@code deploymentName} is to be given this secret. */
    boolean isHeldBy(String deploymentName) {
        return holders.contains(deploymentName);
    }

    /** The holders' names, for messages: "a", "a and b", "a, b and c". */
    String holderNames() {
        if (holders.size() == 1) {
            return holders.getFirst();
        }
        return String.join(", ", holders.subList(0, holders.size() - 1)) + " and " + holders.getLast();
    }
}
