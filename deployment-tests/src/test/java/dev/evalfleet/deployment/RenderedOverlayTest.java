package dev.evalfleet.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The example overlay as kustomize itself renders it (kubectl kustomize), read back strictly and
 * checked with the same rules. Skipped where kubectl is not installed.
 */
class RenderedOverlayTest {

    @Test
    void kustomizeRendersTheExampleIntoValidHardenedResources() throws Exception {
        Path kubectl = onPath("kubectl");
        assumeTrue(kubectl != null, "kubectl is not on the PATH; the rendered overlay is not checked");
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", "k8s/overlays/example")
                .directory(Repository.ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        List<Kubernetes.Resource> rendered = Kubernetes.readManifest(Path.of("kubectl-kustomize"), output);
        var workloads = KubernetesRules.workloads(rendered);
        assertThat(workloads).hasSize(7);
        assertThat(KubernetesRules.containersAreHardened(workloads)).isEmpty();
        assertThat(KubernetesRules.servicesFollowSpringConventions(workloads)).isEmpty();
        assertThat(KubernetesRules.secretsComeFromSecrets(rendered)).isEmpty();
        assertThat(KubernetesRules.accessSecretsComeFromTheSecretToTheirHolders(rendered))
                .isEmpty();
        assertThat(KubernetesRules.variablesAreRead(rendered)).isEmpty();
        assertThat(KubernetesRules.coordinatorConnectsToTheDatabaseAsARoleOfItsOwn(
                        rendered, Kubernetes.generatedSecrets(Repository.path("k8s/overlays/example"))))
                .isEmpty();
        assertThat(rendered)
                .allSatisfy(resource -> assertThat(resource.metadata().getNamespace())
                        .as(resource.kind() + " " + resource.name())
                        .isIn("evalfleet", null));
        assertThat(rendered.stream().filter(r -> r.kind().equals("Secret")).map(Kubernetes.Resource::name))
                .containsExactly("evalfleet-credentials");
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
