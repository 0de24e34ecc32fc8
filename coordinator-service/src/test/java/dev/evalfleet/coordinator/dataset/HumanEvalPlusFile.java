package dev.evalfleet.coordinator.dataset;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where EvalPlus's HumanEval+ ({@code HumanEvalPlus.jsonl.gz}, its own format) is, if this machine has
 * it: EVALFLEET_HUMANEVALPLUS (or {@code -Devalfleet.humanevalplus}), else {@code
 * ../shared/datasets/HumanEvalPlus.jsonl.gz} beside the repository. Never copied into the repository.
 */
public final class HumanEvalPlusFile {

    public static final String SKIP_MESSAGE = "HumanEvalPlus.jsonl.gz not found: set EVALFLEET_HUMANEVALPLUS (or"
            + " -Devalfleet.humanevalplus) to its path, or put it at ../shared/datasets/ beside the repository";

    private static final Path BESIDE_THE_REPOSITORY = Path.of("../shared/datasets/HumanEvalPlus.jsonl.gz");

    private HumanEvalPlusFile() {}

    /** The file, or {@code null} when it is absent. */
    public static Path path() {
        String configured = System.getProperty("evalfleet.humanevalplus");
        if (configured == null || configured.isBlank() || configured.startsWith("${")) {
            configured = System.getenv("EVALFLEET_HUMANEVALPLUS");
        }
        Path path = configured == null || configured.isBlank()
                ? repositoryRoot().resolve(BESIDE_THE_REPOSITORY)
                : Path.of(configured);
        return Files.isRegularFile(path) ? path : null;
    }

    /** Tests run in their module's directory, one below the repository's root. */
    private static Path repositoryRoot() {
        Path moduleDirectory = Path.of("").toAbsolutePath();
        return Files.isRegularFile(moduleDirectory.resolve("mvnw")) ? moduleDirectory : moduleDirectory.getParent();
    }
}
