package dev.evalfleet.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DockerfileTest {

    @ParameterizedTest
    @EnumSource(EvalfleetService.class)
    void buildsAPinnedNonRootLayeredImageWithAHealthcheck(EvalfleetService service) {
        assertThat(DockerfileRules.check(service, Repository.read(service.module + "/Dockerfile")))
                .isEmpty();
    }

    @Test
    void scoringImageCarriesPythonAndBubblewrap() {
        String instructions = DockerfileRules.instructions(Repository.read("scoring-service/Dockerfile"));
        assertThat(instructions).containsPattern("apt-get install[^\\n]*\\bpython3\\b");
        assertThat(instructions).containsPattern("apt-get install[^\\n]*\\bbubblewrap\\b");
    }

    @Test
    void buildContextLeavesOutBuildOutputAndLocalSecrets() {
        assertThat(Repository.read(".dockerignore").lines()).contains(".git", "**/target", ".env");
    }
}
