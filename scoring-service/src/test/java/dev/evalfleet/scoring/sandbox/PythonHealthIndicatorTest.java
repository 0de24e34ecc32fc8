package dev.evalfleet.scoring.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.scoring.ScoringProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import tools.jackson.databind.json.JsonMapper;

class PythonHealthIndicatorTest {

    @Test
    void upWithTheVersionWhenPythonRuns() {
        Health health = indicator("python3").health();

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsKey("version");
    }

    @Test
    void downWithTheReasonWhenPythonCannotRun() {
        Health health = indicator("no-such-python-3").health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) health.getDetails().get("reason")).contains("no-such-python-3");
    }

    private static PythonHealthIndicator indicator(String executable) {
        ScoringProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                        "evalfleet.scoring.python.executable",
                        executable,
                        "evalfleet.scoring.sandbox.mode",
                        "unsandboxed")))
                .bindOrCreate("evalfleet.scoring", ScoringProperties.class);
        return new PythonHealthIndicator(
                new PythonRunner(
                        new SessionProcessLauncher(), JsonMapper.builder().build(), properties),
                properties);
    }
}
