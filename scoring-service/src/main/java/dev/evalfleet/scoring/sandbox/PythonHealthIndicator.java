package dev.evalfleet.scoring.sandbox;

import dev.evalfleet.scoring.ScoringProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health contributor {@code python}: DOWN, with the reason, when the interpreter cannot be started
 * in the configured sandbox; always names the sandbox mode.
 */
@Component("python")
class PythonHealthIndicator implements HealthIndicator {

    private final PythonRunner runner;
    private final ScoringProperties properties;

    PythonHealthIndicator(PythonRunner runner, ScoringProperties properties) {
        this.runner = runner;
        this.properties = properties;
    }

    @Override
    public Health health() {
        String executable = properties.python().executable();
        try {
            return Health.up()
                    .withDetail("executable", executable)
                    .withDetail("sandbox", runner.sandboxName())
                    .withDetail("version", runner.probe())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down()
                    .withDetail("executable", executable)
                    .withDetail("sandbox", runner.sandboxName())
                    .withDetail("reason", "interrupted")
                    .build();
        } catch (Exception e) {
            // Fail closed: in bubblewrap mode this is DOWN whenever the sandbox cannot be created.
            return Health.down()
                    .withDetail("executable", executable)
                    .withDetail("sandbox", runner.sandboxName())
                    .withDetail("reason", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
