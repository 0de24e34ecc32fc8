package dev.evalfleet.deployment;

import java.util.Arrays;
import java.util.Optional;

/**
 * The three deployable services, under the one name they have in docker-compose.yml and in the
 * Kubernetes manifests, with the module that builds each.
 */
enum EvalfleetService {
    COORDINATOR("coordinator", "coordinator-service"),
    WORKER("worker", "worker-service"),
    SCORING("scoring", "scoring-service");

    final String deploymentName;
    final String module;

    EvalfleetService(String deploymentName, String module) {
        this.deploymentName = deploymentName;
        this.module = module;
    }

    static Optional<EvalfleetService> named(String deploymentName) {
        return Arrays.stream(values())
                .filter(service -> service.deploymentName.equals(deploymentName))
                .findFirst();
    }

    ServiceConfiguration configuration() {
        return ServiceConfiguration.of(this);
    }
}
