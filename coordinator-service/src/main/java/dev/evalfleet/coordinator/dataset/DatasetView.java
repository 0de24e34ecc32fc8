package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.ProblemFormat;
import java.time.Instant;
import java.util.UUID;

/**
 * A dataset as the API shows it.
 *
 * @param format how its prompts and programs are built
 * @param fileFormat the file format it was read from
 * @param plusTests whether its problems have EvalPlus plus inputs judged apart from the base ones:
 *     jobs on it report pass@k on the base inputs ({@code passAtKBase}) beside base + plus
 * @param testInputs EvalPlus inputs over all problems, base and plus; {@code null} for datasets
 *     judged by tests of other kinds
 * @param sha256 of the file as uploaded (before decompression), hex; {@code null} for datasets
 *     uploaded before it was recorded
 * @param createdBy who imported it: the API key's name, or the token's subject; {@code null} for
 *     datasets imported before the API had keys
 */
public record DatasetView(
        UUID id,
        String name,
        ProblemFormat format,
        DatasetFileFormat fileFormat,
        boolean plusTests,
        Long testInputs,
        int problemCount,
        String sha256,
        String createdBy,
        Instant createdAt) {}
