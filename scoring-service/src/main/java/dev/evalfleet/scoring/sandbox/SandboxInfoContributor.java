package dev.evalfleet.scoring.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * Adds {@code sandbox: {mode, python}} to {@code /actuator/info}: how runs are isolated and the
 * Python version that runs them, which workers record as the provenance of their results.
 */
@Component
class SandboxInfoContributor implements InfoContributor {

    private final PythonRunner runner;
    private volatile String pythonVersion;

    SandboxInfoContributor(PythonRunner runner) {
        this.runner = runner;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, String> sandbox = new LinkedHashMap<>();
        sandbox.put("mode", runner.sandboxName());
        sandbox.put("python", pythonVersion());
        builder.withDetail("sandbox", sandbox);
    }

    /** Asked once: the interpreter does not change while the service runs. Null while it cannot start. */
    private String pythonVersion() {
        String version = pythonVersion;
        if (version == null) {
            try {
                version = runner.probe();
                pythonVersion = version;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception unavailable) {
                // health says why; info only leaves the version out
            }
        }
        return version;
    }
}
