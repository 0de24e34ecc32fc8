package dev.evalfleet.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerComposeTest {

    private final Compose compose = Compose.load();
    private final Map<String, String> env = Compose.dotEnv();

    @Test
    void imagesArePinnedToReleases() {
        assertThat(ComposeRules.imagesArePinned(compose, env)).isEmpty();
    }

    @Test
    void credentialsComeFromVariables() {
        assertThat(ComposeRules.secretsAreNotLiterals(compose)).isEmpty();
    }

    @Test
    void adminKeyAndScoringTokenAreRequiredVariablesOfTheServicesThatHoldThem() {
        assertThat(ComposeRules.accessSecretsAreRequiredVariablesOfTheirHolders(compose))
                .isEmpty();
        assertThat(compose.services().get("coordinator").env()).containsKey("EVALFLEET_ADMIN_KEY");
        assertThat(compose.services().get("scoring").env()).containsKey("EVALFLEET_SCORING_TOKEN");
        assertThat(compose.services().get("worker").env()).containsKey("EVALFLEET_SCORING_TOKEN");
        // the trial .env sets both, like the passwords, so `docker compose up` starts as it is
        assertThat(Compose.interpolate(
                        compose.services().get("coordinator").env().get("EVALFLEET_ADMIN_KEY"), env))
                .matches("ef_[A-Za-z0-9]{40}");
        assertThat(Compose.interpolate(compose.services().get("scoring").env().get("EVALFLEET_SCORING_TOKEN"), env))
                .isNotBlank();
    }

    @Test
    void coordinatorAndWorkersConnectToTheBrokerAsUsersOfTheirOwnThatTheOneShotMakes() {
        assertThat(ComposeRules.brokerUsersArePerService(compose, env)).isEmpty();
        assertThat(compose.services().get("rabbitmq-users").isOneShot()).isTrue();
        assertThat(compose.services().get("rabbitmq-users").dependsOn())
                .containsEntry("rabbitmq", new Compose.Dependency("service_healthy"));
        for (String service : List.of("coordinator", "worker")) {
            assertThat(compose.services().get(service).env()).containsKey("EVALFLEET_RABBIT_USER");
            assertThat(BrokerUsersTest.permissions()).containsKey(service);
        }
    }

    @Test
    void coordinatorConnectsToTheDatabaseAsARoleOfItsOwnThatTheOneShotMakes() {
        assertThat(ComposeRules.coordinatorConnectsToTheDatabaseAsARoleOfItsOwn(compose, env))
                .isEmpty();
        Compose.Service maker = compose.services().get(DatabaseRoleTest.COMPOSE_SERVICE);
        assertThat(maker.volumes()).contains("./" + DatabaseRoleTest.SCRIPT + ":" + DatabaseRoleTest.MOUNTED + ":ro");
        assertThat(maker.entrypoint()).containsExactly("sh", DatabaseRoleTest.MOUNTED);
        assertThat(maker.env())
                .containsKeys(DatabaseRoleTest.requiredVariables().toArray(String[]::new));
        // the trial .env gives the role a name and password of its own, like the broker users
        assertThat(Compose.interpolate(
                        compose.services().get("coordinator").env().get("EVALFLEET_DB_USER"), env))
                .isNotEqualTo(env.get("POSTGRES_USER"));
        assertThat(env.get("POSTGRES_COORDINATOR_PASSWORD")).isNotEqualTo(env.get("POSTGRES_PASSWORD"));
    }

    @Test
    void everyServiceIsHealthcheckedAndMemoryLimited() {
        assertThat(ComposeRules.longRunningServicesAreHealthcheckedAndLimited(compose))
                .isEmpty();
    }

    @Test
    void dependenciesWaitForHealthOrCompletion() {
        assertThat(ComposeRules.dependenciesWaitForHealth(compose)).isEmpty();
        assertThat(compose.services().get("coordinator").dependsOn())
                .containsEntry("postgres", new Compose.Dependency("service_healthy"))
                .containsEntry("rabbitmq", new Compose.Dependency("service_healthy"));
        assertThat(compose.services().get("worker").dependsOn())
                .containsEntry("rabbitmq", new Compose.Dependency("service_healthy"))
                .containsEntry("scoring", new Compose.Dependency("service_healthy"))
                .containsEntry("ollama-pull", new Compose.Dependency("service_completed_successfully"));
    }

    @Test
    void brokerAndDatabaseHealthchecksAskTheServersThemselves() {
        assertThat(String.join(
                        " ", compose.services().get("postgres").healthcheck().test()))
                .contains("pg_isready");
        assertThat(compose.services().get("rabbitmq").healthcheck().test())
                .containsSequence("rabbitmq-diagnostics", "-q", "ping");
        assertThat(compose.services().get("rabbitmq").image()).contains("management");
    }

    @Test
    void servicesAreSetOnlyThroughVariablesTheyRead() {
        assertThat(ComposeRules.variablesAreRead(compose)).isEmpty();
    }

    @Test
    void urlsAndHostsNameServicesOnASharedNetwork() {
        assertThat(ComposeRules.hostsAreReachableServices(compose, env)).isEmpty();
    }

    @Test
    void workersScale() {
        assertThat(ComposeRules.scalable(compose, "worker")).isEmpty();
    }

    @Test
    void networksVolumesAndMountedFilesExist() {
        assertThat(ComposeRules.declaredNetworksAndVolumes(compose)).isEmpty();
    }

    @Test
    void evalfleetImagesAreBuiltFromTheirDockerfiles() {
        for (EvalfleetService service : EvalfleetService.values()) {
            Compose.Service composed = compose.services().get(service.deploymentName);
            assertThat(composed).as(service.deploymentName).isNotNull();
            assertThat(composed.build().context()).isEqualTo(".");
            assertThat(composed.build().dockerfile()).isEqualTo(service.module + "/Dockerfile");
            assertThat(Files.isRegularFile(Repository.path(composed.build().dockerfile())))
                    .isTrue();
            assertThat(composed.image()).startsWith("evalfleet/" + service.module + ":");
        }
    }

    @Test
    void scoringReachesNothingOutsideTheStack() {
        Compose.Service scoring = compose.services().get("scoring");
        assertThat(scoring.networks()).isNotEmpty();
        for (String network : scoring.networks()) {
            assertThat(compose.networks().get(network).internal())
                    .as(network + " is internal")
                    .isTrue();
        }
        assertThat(scoring.ports()).as("published ports").isNull();
    }

    @Test
    void modelPullIsAOneShotOfTheModelNamedInDotEnv() {
        Compose.Service pull = compose.services().get("ollama-pull");
        assertThat(pull.isOneShot()).isTrue();
        assertThat(pull.command()).contains("${OLLAMA_MODEL:-qwen2.5-coder:1.5b}");
        assertThat(env).containsEntry("OLLAMA_MODEL", "qwen2.5-coder:1.5b");
        assertThat(Conventions.hostIn("OLLAMA_HOST", pull.env().get("OLLAMA_HOST")))
                .contains("ollama");
    }

    @Test
    void monitoringRunsOnlyInItsProfile() {
        assertThat(compose.servicesInProfiles(List.of()).keySet())
                .doesNotContain("prometheus", "grafana")
                .contains("postgres", "rabbitmq", "ollama", "ollama-pull", "coordinator", "worker", "scoring");
        assertThat(compose.servicesInProfiles(List.of("monitoring")).keySet()).contains("prometheus", "grafana");
    }
}
