package dev.evalfleet.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.deployment.Kubernetes.Resource;
import dev.evalfleet.deployment.KubernetesRules.Workload;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KubernetesManifestsTest {

    private static final Path BASE = Repository.path("k8s/base");
    private static final Path EXAMPLE = Repository.path("k8s/overlays/example");

    private final List<Resource> example = Kubernetes.flatResourcesOf(EXAMPLE);
    private final Map<String, Map<String, String>> secrets = Kubernetes.generatedSecrets(EXAMPLE);

    @Test
    void everyManifestReadsStrictlyIntoAKnownKindAndEveryFileIsUsed() {
        Set<Path> listed = new HashSet<>();
        for (Path file : Repository.filesUnder("k8s", ".yaml", ".yml")) {
            String relative = Repository.ROOT.relativize(file).toString();
            if (file.getFileName().toString().equals(Kubernetes.KUSTOMIZATION_FILE)) {
                Kustomization kustomization = Kubernetes.readKustomization(file);
                assertThat(kustomization.kind()).as(relative).isEqualTo("Kustomization");
                assertThat(kustomization.apiVersion()).as(relative).isEqualTo("kustomize.config.k8s.io/v1beta1");
                listed.addAll(Kubernetes.resourcesOf(file.getParent()).keySet());
            } else {
                assertThat(Kubernetes.readManifest(file)).as(relative).isNotEmpty();
            }
        }
        for (Path file : Repository.filesUnder("k8s", ".yaml", ".yml")) {
            String relative = Repository.ROOT.relativize(file).toString();
            if (!file.getFileName().toString().equals(Kubernetes.KUSTOMIZATION_FILE)
                    && !Kubernetes.TEMPLATES.contains(relative)) {
                assertThat(listed)
                        .as(relative + " is listed by a kustomization")
                        .contains(file);
            }
        }
    }

    @Test
    void containersArePinnedProbedLimitedAndUnprivileged() {
        assertThat(KubernetesRules.containersAreHardened(KubernetesRules.workloads(example)))
                .isEmpty();
    }

    @Test
    void servicesAreProbedOnActuatorWithAReadOnlyRoot() {
        List<Workload> workloads = KubernetesRules.workloads(example);
        assertThat(workloads)
                .extracting(Workload::name)
                .contains("coordinator", "worker", "scoring", "postgres", "rabbitmq");
        assertThat(KubernetesRules.servicesFollowSpringConventions(workloads)).isEmpty();
    }

    @Test
    void credentialsComeFromTheSecret() {
        assertThat(KubernetesRules.secretsComeFromSecrets(example)).isEmpty();
        assertThat(KubernetesRules.secretReferencesResolve(example, secrets)).isEmpty();
    }

    @Test
    void adminKeyAndScoringTokenComeFromTheSecretToTheServicesThatHoldThem() {
        assertThat(KubernetesRules.accessSecretsComeFromTheSecretToTheirHolders(example))
                .isEmpty();
        assertThat(secrets.get("evalfleet-credentials")).containsKeys("admin-key", "scoring-token");
    }

    @Test
    void coordinatorWorkersAndKedaConnectToTheBrokerAsUsersOfTheirOwnThatTheJobMakes() {
        assertThat(KubernetesRules.brokerUsersArePerService(example, secrets)).isEmpty();
        Workload job = KubernetesRules.workloads(example).stream()
                .filter(workload -> workload.name().equals("rabbitmq-users"))
                .findFirst()
                .orElseThrow();
        var env = job.pod().getContainers().getFirst().getEnv().stream()
                .map(io.fabric8.kubernetes.api.model.EnvVar::getName)
                .toList();
        for (String name : BrokerUsersTest.permissions().keySet()) {
            String prefix = "RABBITMQ_" + name.toUpperCase(java.util.Locale.ROOT);
            assertThat(env).as(job.name() + " makes " + name).contains(prefix + "_USER", prefix + "_PASSWORD");
        }
    }

    @Test
    void coordinatorConnectsToTheDatabaseAsARoleOfItsOwnThatTheJobMakes() {
        assertThat(KubernetesRules.coordinatorConnectsToTheDatabaseAsARoleOfItsOwn(example, secrets))
                .isEmpty();
        Workload job = KubernetesRules.workloads(example).stream()
                .filter(workload -> workload.name().equals(DatabaseRoleTest.KUBERNETES_JOB))
                .findFirst()
                .orElseThrow();
        assertThat(job.runsToCompletion()).isTrue();
        var container = job.pod().getContainers().getFirst();
        assertThat(container.getCommand()).containsExactly("sh", DatabaseRoleTest.MOUNTED);
        assertThat(container.getEnv())
                .extracting(io.fabric8.kubernetes.api.model.EnvVar::getName)
                .containsAll(DatabaseRoleTest.requiredVariables());
        Map<String, String> credentials = secrets.get("evalfleet-credentials");
        assertThat(credentials.get("postgres-coordinator-user")).isNotEqualTo(credentials.get("postgres-user"));
        assertThat(credentials.get("postgres-coordinator-password")).isNotEqualTo(credentials.get("postgres-password"));
    }

    @Test
    void secretTemplateListsEveryKeyTheExampleGenerates() {
        var template = Kubernetes.readManifest(BASE.resolve("secret-template.yaml"))
                .getFirst()
                .as(io.fabric8.kubernetes.api.model.Secret.class);
        assertThat(template.getStringData().keySet())
                .isEqualTo(secrets.get(template.getMetadata().getName()).keySet());
    }

    @Test
    void servicesAreSetOnlyThroughVariablesTheyRead() {
        assertThat(KubernetesRules.variablesAreRead(example)).isEmpty();
    }

    @Test
    void urlsAndHostsNameServices() {
        assertThat(KubernetesRules.hostsAreServices(example, secrets)).isEmpty();
    }

    @Test
    void servicesAndDisruptionBudgetsSelectTheirPods() {
        for (Workload workload : KubernetesRules.workloads(example)) {
            if (workload.runsToCompletion()) {
                continue;
            }
            Map<String, String> labels = workload.template().getMetadata().getLabels();
            assertThat(example.stream()
                            .filter(r -> r.is(Service.class))
                            .map(r -> r.as(Service.class))
                            .filter(s -> s.getSpec().getSelector() != null)
                            .anyMatch(s -> labels.entrySet()
                                    .containsAll(s.getSpec().getSelector().entrySet())))
                    .as("a Service selects " + workload.name())
                    .isTrue();
            if (workload.kind().equals("Deployment")) {
                assertThat(example.stream()
                                .filter(r -> r.is(PodDisruptionBudget.class))
                                .map(r -> r.as(PodDisruptionBudget.class))
                                .anyMatch(pdb -> labels.entrySet()
                                        .containsAll(pdb.getSpec()
                                                .getSelector()
                                                .getMatchLabels()
                                                .entrySet())))
                        .as("a PodDisruptionBudget covers " + workload.name())
                        .isTrue();
            }
        }
    }

    @Test
    void scoringScalesOnCpuAndWorkersOnTheTaskQueue() {
        HorizontalPodAutoscaler hpa = only(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("scoring");
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);

        Keda.ScaledObject scaledObject = only(Keda.ScaledObject.class);
        assertThat(scaledObject.spec().scaleTargetRef().name()).isEqualTo("worker");
        assertThat(scaledObject.spec().minReplicaCount())
                .as("the coordinator accepts jobs only for endpoints a live worker serves")
                .isGreaterThanOrEqualTo(1);
        Keda.Trigger trigger = scaledObject.spec().triggers().getFirst();
        assertThat(trigger.type()).isEqualTo("rabbitmq");
        assertThat(trigger.metadata())
                .containsEntry("queueName", taskQueueName())
                .containsEntry("mode", "QueueLength");
        Keda.TriggerAuthentication authentication = only(Keda.TriggerAuthentication.class);
        assertThat(trigger.authenticationRef().name())
                .isEqualTo(authentication.metadata().getName());

        for (String autoscaled : List.of("scoring", "worker")) {
            assertThat(deployment(autoscaled).getSpec().getReplicas())
                    .as(autoscaled + " leaves its replicas to the autoscaler")
                    .isNull();
        }
    }

    @Test
    void scoringPodsHaveNoEgress() {
        NetworkPolicy policy = only(NetworkPolicy.class);
        Map<String, String> scoringLabels =
                deployment("scoring").getSpec().getTemplate().getMetadata().getLabels();
        assertThat(scoringLabels.entrySet())
                .containsAll(policy.getSpec().getPodSelector().getMatchLabels().entrySet());
        assertThat(policy.getSpec().getPolicyTypes()).contains("Egress");
        assertThat(policy.getSpec().getEgress()).isEmpty();
    }

    @Test
    void everythingLandsInTheNamespaceTheBaseCreates() {
        Kustomization base = Kubernetes.readKustomization(BASE.resolve(Kubernetes.KUSTOMIZATION_FILE));
        assertThat(only(Namespace.class).getMetadata().getName()).isEqualTo(base.namespace());
        assertThat(Kubernetes.readKustomization(EXAMPLE.resolve(Kubernetes.KUSTOMIZATION_FILE))
                        .namespace())
                .isEqualTo(base.namespace());
    }

    @Test
    void overlayImagesAreTheServicesImagesAndPinned() {
        Kustomization overlay = Kubernetes.readKustomization(EXAMPLE.resolve(Kubernetes.KUSTOMIZATION_FILE));
        assertThat(overlay.images())
                .extracting(Kustomization.Image::name)
                .containsExactlyInAnyOrder(
                        "evalfleet/coordinator-service", "evalfleet/worker-service", "evalfleet/scoring-service");
        for (Kustomization.Image image : overlay.images()) {
            assertThat(Conventions.unpinned(image.name() + ":" + image.newTag()))
                    .isEmpty();
        }
    }

    /** The task queue's name as contracts declares it, so a rename there fails here. */
    private static String taskQueueName() {
        var matcher = Pattern.compile("TASK_QUEUE\\s*=\\s*\"([^\"]+)\"")
                .matcher(Repository.read("contracts/src/main/java/dev/evalfleet/contracts/Messaging.java"));
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private Deployment deployment(String name) {
        return example.stream()
                .filter(r -> r.is(Deployment.class) && r.name().equals(name))
                .map(r -> r.as(Deployment.class))
                .findFirst()
                .orElseThrow();
    }

    private <T> T only(Class<T> type) {
        List<T> found =
                example.stream().filter(r -> r.is(type)).map(r -> r.as(type)).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.getFirst();
    }
}
