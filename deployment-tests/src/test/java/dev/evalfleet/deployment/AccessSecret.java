package dev.evalfleet.deployment;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The secrets that decide who may call evalfleet's services, under the variable each service reads, with
 * the services that are given it: the coordinator's bootstrap admin key, and the token the workers show
 * the scoring service (one value for both sides).
 */
enum AccessSecret {
    ADMIN_KEY("EVALFLEET_ADMIN_KEY", EvalfleetService.COORDINATOR),
    SCORING_TOKEN("EVALFLEET_SCORING_TOKEN", EvalfleetService.SCORING, EvalfleetService.WORKER);

    final String variable;
    final Set<EvalfleetService> holders;

    AccessSecret(String variable, EvalfleetService... holders) {
        this.variable = variable;
        this.holders = Set.of(holders);
    }

    /** Whether the service deployed under {@code deploymentName} is to be given this secret. */
    boolean isHeldBy(String deploymentName) {
        return EvalfleetService.named(deploymentName).map(holders::contains).orElse(false);
    }

    /** The deployment names of the holders, sorted, for messages. */
    String holderNames() {
        List<String> names = Arrays.stream(EvalfleetService.values())
                .filter(holders::contains)
                .map(service -> service.deploymentName)
                .toList();
        return names.stream().collect(Collectors.joining(" and "));
    }
}
