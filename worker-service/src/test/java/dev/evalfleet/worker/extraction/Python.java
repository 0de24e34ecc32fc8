package dev.evalfleet.worker.extraction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Python source with the local {@code python3}, so extraction tests prove that a program
 * really runs and passes rather than that it looks right. Tests are skipped without python3.
 */
final class Python {

    record Run(int exitCode, String output) {}

    static Run run(String source) {
        try {
            Process process =
                    new ProcessBuilder("python3", "-").redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(source.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Run(-1, output + "\n(timed out)");
            }
            return new Run(process.exitValue(), output);
        } catch (IOException notInstalled) {
            Assumptions.abort("python3 is not available: " + notInstalled.getMessage());
            throw new IllegalStateException(notInstalled);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }

    private Python() {}
}
