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
                .anySatisfy(p -> assertThat(p).isEqualTo("prometheus: no EVALFLEET_SCORING_TOKEN"))
                .anySatisfy(p -> assertThat(p).isEqualTo("prometheus: no EVALFLEET_METRICS_KEY"))
                .hasSize(5);

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
                        "coordinator/coordinator: is given EVALFLEET_SCORING_TOKEN, which only worker, scoring and"
                                + " prometheus may hold",
                        "worker/worker: no EVALFLEET_SCORING_TOKEN",
                        "EVALFLEET_SCORING_TOKEN comes from different Secret keys"
                                + " [evalfleet-credentials/scoring-token, scoring-credentials/token]; worker,"
                                + " scoring and prometheus must share one");
    }

    @Test
    void composeServicesSharingABrokerUserOrUsingTheAdminAreCaught() {
        Compose compose = Compose.read("""
                services:
                  rabbitmq:
                    image: rabbitmq:4.1.4-management
                    environment:
                      RABBITMQ_DEFAULT_USER: ${RABBITMQ_USER:-evalfleet}
                      RABBITMQ_DEFAULT_PASS: ${RABBITMQ_PASSWORD:?set it}
                  rabbitmq-users:
                    image: rabbitmq:4.1.4-management
                    restart: "no"
                    environment:
                      RABBITMQ_ADMIN_PASSWORD: ${RABBITMQ_PASSWORD:?set it}
                      RABBITMQ_COORDINATOR_USER: ${MQ_USER:-evalfleet-coordinator}
                      RABBITMQ_COORDINATOR_PASSWORD: ${MQ_PASSWORD:?set it}
                  coordinator:
                    image: evalfleet/coordinator-service:0.1.0
                    depends_on:
                      rabbitmq-users: {condition: service_completed_successfully}
                    environment:
                      EVALFLEET_RABBIT_USER: ${MQ_USER:-evalfleet-coordinator}
                      EVALFLEET_RABBIT_PASSWORD: ${MQ_PASSWORD:?set it}
                  worker:
                    image: evalfleet/worker-service:0.1.0
                    environment:
                      EVALFLEET_RABBIT_USER: ${MQ_USER:-evalfleet-coordinator}
                      EVALFLEET_RABBIT_PASSWORD: ${RABBITMQ_PASSWORD:-guest}
                """);
        assertThat(ComposeRules.brokerUsersArePerService(compose, Map.of()))
                .containsExactlyInAnyOrder(
                        "worker: EVALFLEET_RABBIT_PASSWORD is not ${VARIABLE:?message} (set, no default)",
                        "worker: shares ${MQ_USER} with coordinator; each service has its own",
                        "worker: connects as evalfleet-coordinator like coordinator",
                        "rabbitmq-users: does not make worker's user as RABBITMQ_WORKER_USER from ${MQ_USER}",
                        "worker: does not wait for rabbitmq-users to complete");
        Compose asAdmin = Compose.read("""
                services:
                  rabbitmq:
                    image: rabbitmq:4.1.4-management
                    environment:
                      RABBITMQ_DEFAULT_USER: ${RABBITMQ_USER:-evalfleet}
                      RABBITMQ_DEFAULT_PASS: ${RABBITMQ_PASSWORD:?set it}
                  worker:
                    image: evalfleet/worker-service:0.1.0
                    environment:
                      EVALFLEET_RABBIT_USER: ${RABBITMQ_USER:-evalfleet}
                      EVALFLEET_RABBIT_PASSWORD: ${RABBITMQ_PASSWORD:?set it}
                """);
        assertThat(ComposeRules.brokerUsersArePerService(asAdmin, Map.of()))
                .anySatisfy(p ->
                        assertThat(p).isEqualTo("worker: connects with ${RABBITMQ_PASSWORD}, the broker's own admin"))
                .anySatisfy(p -> assertThat(p).isEqualTo("worker: connects as evalfleet, the broker's own admin"))
                .anySatisfy(p -> assertThat(p).startsWith("worker: no one-shot makes its broker user"));
    }

    @Test
    void kubernetesServicesSharingABrokerUserOrKedaAsAnotherAreCaught() {
        List<Kubernetes.Resource> resources = Kubernetes.readManifest(FILE, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: rabbitmq}
                spec:
                  template:
                    spec:
                      containers:
                        - name: rabbitmq
                          image: rabbitmq:4.1.4-management
                          env:
                            - name: RABBITMQ_DEFAULT_USER
                              valueFrom: {secretKeyRef: {name: creds, key: rabbitmq-user}}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: rabbitmq-users}
                spec:
                  template:
                    spec:
                      containers:
                        - name: rabbitmq-users
                          image: rabbitmq:4.1.4-management
                          env:
                            - name: RABBITMQ_ADMIN_PASSWORD
                              valueFrom: {secretKeyRef: {name: creds, key: rabbitmq-password}}
                            - name: RABBITMQ_COORDINATOR_USER
                              valueFrom: {secretKeyRef: {name: creds, key: coordinator-user}}
                            - name: RABBITMQ_COORDINATOR_PASSWORD
                              valueFrom: {secretKeyRef: {name: creds, key: coordinator-password}}
                            - name: RABBITMQ_KEDA_USER
                              valueFrom: {secretKeyRef: {name: creds, key: keda-user}}
                ---
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
                            - name: EVALFLEET_RABBIT_USER
                              valueFrom: {secretKeyRef: {name: creds, key: coordinator-user}}
                            - name: EVALFLEET_RABBIT_PASSWORD
                              valueFrom: {secretKeyRef: {name: creds, key: coordinator-password}}
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
                          env:
                            - name: EVALFLEET_RABBIT_USER
                              valueFrom: {secretKeyRef: {name: creds, key: rabbitmq-user}}
                            - {name: EVALFLEET_RABBIT_PASSWORD, value: guest}
                ---
                apiVersion: keda.sh/v1alpha1
                kind: TriggerAuthentication
                metadata: {name: rabbitmq-keda}
                spec:
                  secretTargetRef:
                    - {parameter: host, name: creds, key: uri}
                """);
        Map<String, Map<String, String>> secrets = Map.of(
                "creds",
                Map.of(
                        "rabbitmq-user", "evalfleet",
                        "coordinator-user", "evalfleet-coordinator",
                        "keda-user", "evalfleet-keda",
                        "uri", "amqp://evalfleet-coordinator:secret@rabbitmq:5672/%2F"));
        assertThat(KubernetesRules.brokerUsersArePerService(resources, secrets))
                .containsExactlyInAnyOrder(
                        "worker: EVALFLEET_RABBIT_USER reads creds/rabbitmq-user, the broker's own admin",
                        "rabbitmq-users: does not make worker's user with RABBITMQ_WORKER_USER from creds/rabbitmq-user",
                        "worker: EVALFLEET_RABBIT_PASSWORD is not from a secretKeyRef",
                        "worker: connects as evalfleet like the broker's own admin",
                        "TriggerAuthentication rabbitmq-keda: connects as evalfleet-coordinator like coordinator",
                        "TriggerAuthentication rabbitmq-keda: connects as evalfleet-coordinator, not as the user"
                                + " rabbitmq-users makes as RABBITMQ_KEDA_USER");
    }

    @Test
    void composeCoordinatorAsTheDatabaseSuperuserOrOthersWithDatabaseCredentialsAreCaught() {
        Compose compose = Compose.read("""
                services:
                  postgres:
                    image: postgres:17.6-bookworm
                    environment:
                      POSTGRES_USER: ${POSTGRES_USER:-evalfleet}
                      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}
                  postgres-role:
                    image: postgres:17.6-bookworm
                    restart: "no"
                    environment:
                      PGHOST: db
                      PGUSER: ${POSTGRES_USER:-evalfleet}
                      PGPASSWORD: ${POSTGRES_PASSWORD:?set it}
                      POSTGRES_DB: evalfleet
                      POSTGRES_COORDINATOR_USER: ${POSTGRES_COORDINATOR_USER:-evalfleet-coordinator}
                      POSTGRES_COORDINATOR_PASSWORD: ${POSTGRES_COORDINATOR_PASSWORD:?set it}
                  coordinator:
                    image: evalfleet/coordinator-service:0.1.0
                    environment:
                      EVALFLEET_DB_URL: jdbc:postgresql://postgres:5432/evalfleet
                      EVALFLEET_DB_USER: ${POSTGRES_USER:-evalfleet}
                      EVALFLEET_DB_PASSWORD: ${POSTGRES_PASSWORD:-evalfleet}
                  worker:
                    image: evalfleet/worker-service:0.1.0
                    environment:
                      EVALFLEET_DB_PASSWORD: ${POSTGRES_COORDINATOR_PASSWORD:?set it}
                """);
        assertThat(ComposeRules.coordinatorConnectsToTheDatabaseAsARoleOfItsOwn(compose, Map.of()))
                .containsExactlyInAnyOrder(
                        "coordinator: EVALFLEET_DB_PASSWORD is not ${VARIABLE:?message} (set, no default)",
                        "coordinator: connects with ${POSTGRES_USER}, the database's superuser",
                        "coordinator: connects as evalfleet, the database's superuser",
                        "postgres-role: does not make the coordinator's role as POSTGRES_COORDINATOR_USER from"
                                + " ${POSTGRES_USER}",
                        "postgres-role: PGHOST is not postgres",
                        "postgres-role: does not wait for postgres to be healthy",
                        "coordinator: does not wait for postgres-role to complete",
                        "worker: holds a database credential (EVALFLEET_DB_PASSWORD); only the coordinator connects"
                                + " to PostgreSQL");

        Compose withoutRole = Compose.read("""
                services:
                  postgres:
                    image: postgres:17.6-bookworm
                    environment:
                      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}
                  coordinator:
                    image: evalfleet/coordinator-service:0.1.0
                    environment:
                      EVALFLEET_DB_URL: jdbc:postgresql://postgres:5432/evalfleet
                      EVALFLEET_DB_USER: ${POSTGRES_COORDINATOR_USER:-postgres}
                      EVALFLEET_DB_PASSWORD: ${POSTGRES_COORDINATOR_PASSWORD:?set it}
                """);
        assertThat(ComposeRules.coordinatorConnectsToTheDatabaseAsARoleOfItsOwn(withoutRole, Map.of()))
                .containsExactlyInAnyOrder(
                        "coordinator: connects as postgres, the database's superuser",
                        "coordinator: no one-shot makes its database role (no service is given"
                                + " POSTGRES_COORDINATOR_USER)");
    }

    @Test
    void kubernetesCoordinatorAsTheDatabaseSuperuserOrOthersWithDatabaseCredentialsAreCaught() {
        List<Kubernetes.Resource> resources = Kubernetes.readManifest(FILE, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: postgres}
                spec:
                  template:
                    spec:
                      containers:
                        - name: postgres
                          image: postgres:17.6-bookworm
                          env:
                            - name: POSTGRES_USER
                              valueFrom: {secretKeyRef: {name: creds, key: postgres-user}}
                            - name: POSTGRES_PASSWORD
                              valueFrom: {secretKeyRef: {name: creds, key: postgres-password}}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: postgres-role}
                spec:
                  template:
                    spec:
                      containers:
                        - name: postgres-role
                          image: postgres:17.6-bookworm
                          env:
                            - {name: POSTGRES_DB, value: evalfleet_other}
                            - name: PGUSER
                              valueFrom: {secretKeyRef: {name: creds, key: postgres-user}}
                            - name: PGPASSWORD
                              valueFrom: {secretKeyRef: {name: creds, key: db-password}}
                            - name: POSTGRES_COORDINATOR_USER
                              valueFrom: {secretKeyRef: {name: creds, key: db-user}}
                            - name: POSTGRES_COORDINATOR_PASSWORD
                              valueFrom: {secretKeyRef: {name: creds, key: db-password}}
                ---
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
                            - {name: EVALFLEET_DB_URL, value: "jdbc:postgresql://postgres:5432/evalfleet"}
                            - name: EVALFLEET_DB_USER
                              valueFrom: {secretKeyRef: {name: creds, key: postgres-user}}
                            - {name: EVALFLEET_DB_PASSWORD, value: evalfleet}
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
                          env:
                            - name: EVALFLEET_RABBIT_PASSWORD
                              valueFrom: {secretKeyRef: {name: creds, key: postgres-password}}
                """);
        Map<String, Map<String, String>> secrets = Map.of(
                "creds",
                Map.of(
                        "postgres-user", "evalfleet",
                        "db-user", "evalfleet-coordinator"));
        assertThat(KubernetesRules.coordinatorConnectsToTheDatabaseAsARoleOfItsOwn(resources, secrets))
                .containsExactlyInAnyOrder(
                        "coordinator: EVALFLEET_DB_USER reads creds/postgres-user, the database's superuser",
                        "coordinator: EVALFLEET_DB_PASSWORD is not from a secretKeyRef",
                        "coordinator: connects as evalfleet like the database's superuser",
                        "postgres-role: POSTGRES_COORDINATOR_USER does not read creds/postgres-user",
                        "postgres-role: PGPASSWORD does not read creds/postgres-password",
                        "postgres-role: gives the role database evalfleet_other, but the coordinator connects to"
                                + " jdbc:postgresql://postgres:5432/evalfleet",
                        "worker: holds a database credential (EVALFLEET_RABBIT_PASSWORD); only the coordinator"
                                + " connects to PostgreSQL");

        List<Kubernetes.Resource> withoutJob = resources.stream()
                .filter(resource -> !resource.name().equals("postgres-role")
                        && !resource.name().equals("worker"))
                .toList();
        assertThat(KubernetesRules.coordinatorConnectsToTheDatabaseAsARoleOfItsOwn(withoutJob, secrets))
                .contains("postgres: no Job makes the coordinator's role in it (none is given"
                        + " POSTGRES_COORDINATOR_USER)");
    }

    @Test
    void literalLibpqPasswordIsCaught() {
        Compose compose = Compose.read("""
                services:
                  postgres-role:
                    image: postgres:17.6-bookworm
                    environment:
                      PGPASSWORD: evalfleet-trial-db
                """);
        assertThat(ComposeRules.secretsAreNotLiterals(compose))
                .singleElement()
                .asString()
                .contains("PGPASSWORD");
    }

    @Test
    void scrapeJobsWithoutCredentialsOrWithInlineOnesAreCaught() {
        Compose compose = Compose.read("""
                services:
                  prometheus:
                    image: prom/prometheus:v3.6.0
                    entrypoint:
                      - /bin/sh
                      - -c
                      - printf '%s' "$$EVALFLEET_METRICS_KEY" > /etc/key && exec /bin/prometheus
                    environment:
                      EVALFLEET_METRICS_KEY: ${EVALFLEET_METRICS_KEY:-ef_0000000000000000000000000000000000000000}
                """);
        Map<String, Object> prometheus = Repository.yamlMap("""
                scrape_configs:
                  - job_name: coordinator
                    authorization: {type: Bearer, credentials_file: /etc/key}
                  - job_name: scoring
                    authorization: {type: Bearer, credentials: evalfleet-trial-scoring-token, credentials_file: /run/x}
                  - job_name: worker
                """);
        assertThat(ComposeRules.scrapeCredentialsComeFromRequiredVariables(compose, prometheus))
                .containsExactlyInAnyOrder(
                        "job coordinator: reads /etc/key, which is in no tmpfs of prometheus",
                        "job coordinator: prometheus's EVALFLEET_METRICS_KEY is not ${VARIABLE:?message}",
                        "job scoring: holds its credentials inline; use credentials_file",
                        "job scoring: reads /run/x, which is in no tmpfs of prometheus",
                        "job scoring: prometheus's entrypoint does not write /run/x from $EVALFLEET_SCORING_TOKEN",
                        "job scoring: prometheus's EVALFLEET_SCORING_TOKEN is not ${VARIABLE:?message}");
        Map<String, Object> open = Repository.yamlMap("""
                scrape_configs:
                  - job_name: coordinator
                """);
        assertThat(ComposeRules.scrapeCredentialsComeFromRequiredVariables(compose, open))
                .containsExactly("job coordinator: sends no authorization of type Bearer");
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
