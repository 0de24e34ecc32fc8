package dev.evalfleet.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks fail on the mistakes they exist for; a check that passes everything checks nothing. */
class RulesCatchMistakesTest {

    private static final Path FILE = Path.of("broken.yaml");

    @Test
    void misspeltKubernetesFieldIsRejected() {
        assertThatThrownBy(() -> Kubernetes.readManifest(FILE, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: coordinator}
                spec:
                  replica: 2
                """)).hasMessageContaining("replica");
    }

    @Test
    void misspeltFieldDeepInAPodIsRejected() {
        assertThatThrownBy(() -> Kubernetes.readManifest(FILE, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: coordinator}
                spec:
                  template:
                    spec:
                      containers:
                        - name: coordinator
                          image: evalfleet/coordinator-service:0.1.0
                          livenessProbe:
                            httpGet: {path: /actuator/health/liveness, port: 8080}
                            periodSecond: 10
                """)).hasMessageContaining("periodSecond");
    }

    @Test
    void kindsEvalfleetDoesNotDeployAreRejected() {
        assertThatThrownBy(() -> Kubernetes.readManifest(FILE, """
                apiVersion: extensions/v1beta1
                kind: Deployment
                metadata: {name: coordinator}
                """)).hasMessageContaining("not one evalfleet deploys");
    }

    @Test
    void unknownKedaFieldIsRejected() {
        assertThatThrownBy(() -> Kubernetes.readManifest(FILE, """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: worker}
                spec:
                  scaleTargetRef: {name: worker}
                  minReplicas: 1
                """)).hasMessageContaining("minReplicas");
    }

    @Test
    void unknownComposeFieldIsRejected() {
        assertThatThrownBy(() -> Compose.read("""
                services:
                  worker:
                    image: evalfleet/worker-service:0.1.0
                    depends_on:
                      rabbitmq: {conditon: service_healthy}
                """)).hasMessageContaining("conditon");
    }

    @Test
    void unpinnedImagesAreCaught() {
        assertThat(Conventions.unpinned("postgres")).isPresent();
        assertThat(Conventions.unpinned("postgres:latest")).isPresent();
        assertThat(Conventions.unpinned("eclipse-temurin:21-jre")).isPresent();
        assertThat(Conventions.unpinned("localhost:5000/evalfleet/worker")).isPresent();
        assertThat(Conventions.unpinned("eclipse-temurin:21.0.8_9-jre-noble")).isEmpty();
        assertThat(Conventions.unpinned("prom/prometheus:v3.6.0")).isEmpty();
    }

    @Test
    void literalPasswordsAndForeignVariablesAndHostsAreCaught() {
        Compose compose = Compose.read("""
                services:
                  worker:
                    image: evalfleet/worker-service:0.1.0
                    container_name: the-worker
                    ports: ["8081:8081"]
                    environment:
                      EVALFLEET_RABBIT_PASSWORD: guest
                      EVALFLEET_DB_URL: jdbc:postgresql://postgres:5432/evalfleet
                      EVALFLEET_WORKER_ENDPOINTS_3_BASEURL: http://ollama:11434
                      EVALFLEET_SCORING_URL: http://scorer:8082
                """);
        assertThat(ComposeRules.secretsAreNotLiterals(compose))
                .singleElement()
                .asString()
                .contains("EVALFLEET_RABBIT_PASSWORD");
        assertThat(ComposeRules.variablesAreRead(compose))
                .singleElement()
                .asString()
                .contains("EVALFLEET_DB_URL");
        assertThat(ComposeRules.hostsAreReachableServices(compose, Map.of()))
                .anySatisfy(problem -> assertThat(problem).contains("scorer"));
        assertThat(ComposeRules.scalable(compose, "worker")).hasSize(3);
    }

    @Test
    void kubernetesContainersMissingProbesLimitsAndSecretsAreCaught() {
        List<Kubernetes.Resource> resources = Kubernetes.readManifest(FILE, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: worker}
                spec:
                  template:
                    metadata: {labels: {app: worker}}
                    spec:
                      containers:
                        - name: worker
                          image: evalfleet/worker-service
                          env:
                            - {name: EVALFLEET_RABBIT_PASSWORD, value: guest}
                            - {name: EVALFLEET_DB_URL, value: "jdbc:postgresql://postgres:5432/evalfleet"}
                """);
        var workloads = KubernetesRules.workloads(resources);
        assertThat(KubernetesRules.containersAreHardened(workloads))
                .anySatisfy(p -> assertThat(p).contains("has no tag"))
                .anySatisfy(p -> assertThat(p).contains("no liveness probe"))
                .anySatisfy(p -> assertThat(p).contains("no memory limit"))
                .anySatisfy(p -> assertThat(p).contains("drop ALL"));
        assertThat(KubernetesRules.servicesFollowSpringConventions(workloads))
                .anySatisfy(p -> assertThat(p).contains("read-only"));
        assertThat(KubernetesRules.secretsComeFromSecrets(resources))
                .singleElement()
                .asString()
                .contains("EVALFLEET_RABBIT_PASSWORD");
        assertThat(KubernetesRules.variablesAreRead(resources))
                .anySatisfy(p -> assertThat(p).contains("EVALFLEET_DB_URL"));
    }

    @Test
    void composeAccessSecretsWithDefaultsGivenToOthersOrFromTwoVariablesAreCaught() {
        Compose compose = Compose.read("""
                services:
                  coordinator:
                    image: evalfleet/coordinator-service:0.1.0
                    environment:
                      EVALFLEET_ADMIN_KEY: ${EVALFLEET_ADMIN_KEY:-ef_0000000000000000000000000000000000000000}
                  scoring:
                    image: evalfleet/scoring-service:0.1.0
                    environment:
                      EVALFLEET_SCORING_TOKEN: ${SCORING_TOKEN:?set it}
                  worker:
                    image: evalfleet/worker-service:0.1.0
                    environment:
                      EVALFLEET_SCORING_TOKEN: ${WORKER_TOKEN:?set it}
                  prometheus:
                    image: prom/prometheus:v3.6.0
                    environment:
                      EVALFLEET_ADMIN_KEY: ${EVALFLEET_ADMIN_KEY:?set it}
                """);
        assertThat(ComposeRules.accessSecretsAreRequiredVariablesOfTheirHolders(compose))
                .anySatisfy(
                        p -> assertThat(p).startsWith("coordinator: EVALFLEET_ADMIN_KEY is ${EVALFLEET_ADMIN_KEY:-"))
                .anySatisfy(p -> assertThat(p).startsWith("prometheus: is given EVALFLEET_ADMIN_KEY"))
                .anySatisfy(p -> assertThat(p).contains("different variables [SCORING_TOKEN, WORKER_TOKEN]"))
                .hasSize(3);

        Compose withoutToken = Compose.read("""
                services:
                  worker:
                    image: evalfleet/worker-service:0.1.0
                    environment:
                      EVALFLEET_SCORING_URL: http://scoring:8082
                """);
        assertThat(ComposeRules.accessSecretsAreRequiredVariablesOfTheirHolders(withoutToken))
                .containsExactly("worker: no EVALFLEET_SCORING_TOKEN");
    }

    @Test
    void kubernetesAccessSecretsAsLiteralsMissingOrGivenToOthersAreCaught() {
        List<Kubernetes.Resource> resources = Kubernetes.readManifest(FILE, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: coordinator}
                spec:
                  template:
                    spec:
                      containers:
                        - name: coordinator
                          image: evalfleet/coordinator-service:0.1.0
                          env:
                            - {name: EVALFLEET_ADMIN_KEY, value: ef_0000000000000000000000000000000000000000}
                            - name: EVALFLEET_SCORING_TOKEN
                              valueFrom: {secretKeyRef: {name: evalfleet-credentials, key: scoring-token}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: scoring}
                spec:
                  template:
                    spec:
                      containers:
                        - name: scoring
                          image: evalfleet/scoring-service:0.1.0
                          env:
                            - name: EVALFLEET_SCORING_TOKEN
                              valueFrom: {secretKeyRef: {name: scoring-credentials, key: token}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: worker}
                spec:
                  template:
                    spec:
                      containers:
                        - name: worker
                          image: evalfleet/worker-service:0.1.0
                """);
        assertThat(KubernetesRules.accessSecretsComeFromTheSecretToTheirHolders(resources))
                .containsExactlyInAnyOrder(
                        "coordinator/coordinator: EVALFLEET_ADMIN_KEY is not from a secretKeyRef",
                        "coordinator/coordinator: is given EVALFLEET_SCORING_TOKEN, which only worker and scoring may"
                                + " hold",
                        "worker/worker: no EVALFLEET_SCORING_TOKEN",
                        "EVALFLEET_SCORING_TOKEN comes from different Secret keys"
                                + " [evalfleet-credentials/scoring-token, scoring-credentials/token]; worker and"
                                + " scoring must share one");
    }

    @Test
    void dockerfileAsRootWithoutHealthcheckIsCaught() {
        assertThat(DockerfileRules.check(EvalfleetService.WORKER, """
                FROM eclipse-temurin:21-jre
                COPY app.jar /app.jar
                ENTRYPOINT ["java", "-jar", "/app.jar"]
                """))
                .anySatisfy(p -> assertThat(p).contains("names no exact release"))
                .anySatisfy(p -> assertThat(p).contains("USER"))
                .anySatisfy(p -> assertThat(p).contains("HEALTHCHECK"))
                .anySatisfy(p -> assertThat(p).contains("layered jar"));
    }

    @Test
    void relaxedBindingOfListPropertiesIsUnderstood() {
        ServiceConfiguration worker = EvalfleetService.WORKER.configuration();
        assertThat(worker.reads("EVALFLEET_WORKER_ENDPOINTS_0_NAME")).isTrue();
        assertThat(worker.reads("EVALFLEET_WORKER_ENDPOINTS_7_BASEURL")).isTrue();
        assertThat(worker.reads("EVALFLEET_WORKER_ENDPOINTS_0_COLOUR")).isFalse();
        assertThat(worker.reads("EVALFLEET_DB_URL")).isFalse();
    }
}
