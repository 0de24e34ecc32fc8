package dev.evalfleet.coordinator.dataset;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the real HumanEval is, if this machine has it ({@code evalfleet.humaneval} or EVALFLEET_HUMANEVAL). */
public final class HumanEvalFile {

    public static final String SKIP_MESSAGE =
            "HumanEval.jsonl.gz not found: set EVALFLEET_HUMANEVAL (or -Devalfleet.humaneval) to its path to run this test";

    private HumanEvalFile() {}

    /** The file, or {@code null} when it is absent. */
    public static Path path() {
        String configured = System.getProperty("evalfleet.humaneval");
        if (configured == null || configured.isBlank() || configured.startsWith("${")) {
            configured = System.getenv("EVALFLEET_HUMANEVAL");
        }
        if (configured == null || configured.isBlank()) {
            return null;
        }
        Path path = Path.of(configured);
        return Files.isRegularFile(path) ? path : null;
    }
}
