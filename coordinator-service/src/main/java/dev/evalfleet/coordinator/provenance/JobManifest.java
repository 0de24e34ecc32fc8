package dev.evalfleet.coordinator.provenance;

import dev.evalfleet.contracts.RepairStrategy;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code /api/jobs/{id}/manifest.json}: what a reader needs to reproduce a job.
 *
 * @param dataset the dataset as uploaded
 * @param settings what the job asked for
 * @param reported what ran its tasks, as the workers reported it
 * @param coordinator the build of the coordinator writing the manifest
 */
public record JobManifest(
        UUID jobId,
        String status,
        Dataset dataset,
        Settings settings,
        List<ReportedProvenance> reported,
        EvalfleetBuild coordinator,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    /**
     * @param sha256 of the file as uploaded (before decompression); {@code null} for datasets uploaded
     *     before it was recorded
     * @param format how its prompts and programs are built
     * @param fileFormat the file format it was read from
     */
    public record Dataset(UUID id, String name, String sha256, int problemCount, String format, String fileFormat) {}

    /**
     * @param endpoint the model endpoint's name on the workers
     * @param samplesPerProblem n
     * @param generation sampling settings; sample i of a problem uses seed + i
     * @param strategy self-repair settings; {@code null} for n independent samples
     * @param timeLimit how each scoring run's time limit was set
     * @param problemsSelected problems the job has a task for
     */
    public record Settings(
            String endpoint,
            String model,
            int samplesPerProblem,
            Generation generation,
            RepairStrategy strategy,
            TimeLimitRule timeLimit,
            int problemsSelected) {}

    /** Sampling settings; {@code null} means the server's default. */
    public record Generation(Double temperature, Double topP, Integer maxTokens, Long seed, List<String> stop) {}

    /**
     * @param rule {@code fixed} or {@code calibrated} (on the reference solution, by the scoring service)
     * @param seconds the fixed limit; {@code null} when calibrated
     */
    public record TimeLimitRule(String rule, Double seconds) {}
}
