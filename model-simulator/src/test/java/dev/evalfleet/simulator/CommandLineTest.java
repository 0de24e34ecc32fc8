package dev.evalfleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void everyFlagReachesTheConfig() {
        SimulatorConfig config = CommandLine.parse(
                "--port",
                "11500",
                "--dataset",
                "a.jsonl,b.jsonl.gz",
                "--behaviour",
                "mixed",
                "--samples",
                "10",
                "--latency-ms",
                "50",
                "--jitter-ms=20",
                "--failure-rate",
                "0.1",
                "--seed",
                "9",
                "--model-name",
                "stand-in",
                "--capacity",
                "6",
                "--queue-limit",
                "12",
                "--overload-status",
                "429");

        assertThat(config)
                .isEqualTo(new SimulatorConfig(
                        11500,
                        List.of(Path.of("a.jsonl"), Path.of("b.jsonl.gz")),
                        new Behaviour.Mixed(10),
                        "stand-in",
                        Duration.ofMillis(50),
                        Duration.ofMillis(20),
                        0.1,
                        9,
                        new SimulatorConfig.Capacity(6, 12, 429)));
    }

    @Test
    void defaultsServeReferenceAnswersOnOllamasPort() {
        SimulatorConfig config = CommandLine.parse("--dataset", "a.jsonl");

        assertThat(config.port()).isEqualTo(11434);
        assertThat(config.behaviour()).isEqualTo(new Behaviour.Reference());
        assertThat(config.failureRate()).isZero();
        assertThat(config.latency()).isZero();
        assertThat(config.capacity()).isEqualTo(SimulatorConfig.Capacity.UNLIMITED);
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> CommandLine.parse("--port", "1")).hasMessageContaining("--dataset");
        assertThatThrownBy(() -> CommandLine.parse("--dataset", "a", "--colour", "red"))
                .hasMessageContaining("--colour");
        assertThatThrownBy(() -> CommandLine.parse("--dataset", "a", "--samples", "many"))
                .hasMessageContaining("--samples");
        assertThatThrownBy(() -> CommandLine.parse("--dataset", "a", "--failure-rate", "2"))
                .hasMessageContaining("failureRate");
        assertThatThrownBy(() -> CommandLine.parse("--dataset")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> CommandLine.parse("--dataset", "a", "--overload-status", "500"))
                .hasMessageContaining("overloadStatus");
    }
}
