package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.ProblemFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;

/**
 * The file formats evalfleet reads, told apart by their fields. Each names the fields it reads and
 * the ones it accepts without using them (informational); any other field refuses the file, so a
 * dataset is never judged on less than its file holds.
 */
public enum DatasetFileFormat {
    /**
     * openai/human-eval: judged by {@code test}'s {@code check(candidate)}. EvalPlus's HumanEval+ in
     * this shape ({@code HumanEvalPlus-OriginFmt}, a {@code check} that loops over the base and plus
     * inputs) is this format too: one verdict, base and plus together.
     */
    HUMANEVAL(
            "HumanEval",
            ProblemFormat.HUMAN_EVAL,
            false,
            List.of("task_id", "prompt", "canonical_solution", "test", "entry_point"),
            List.of()),
    /** google-research MBPP, original: judged by {@code test_list} after {@code test_setup_code}. */
    MBPP(
            "MBPP",
            ProblemFormat.MBPP,
            false,
            List.of("task_id", "text", "code", "test_list", "test_setup_code", "test_imports"),
            // challenge_test_list only when empty: evalfleet does not run MBPP's challenge tests
            List.of("challenge_test_list", "source_file")),
    /** google-research MBPP, sanitized: judged by {@code test_list} after {@code test_imports}. */
    MBPP_SANITIZED(
            "MBPP (sanitized)",
            ProblemFormat.MBPP,
            false,
            List.of("task_id", "prompt", "code", "test_list", "test_imports", "test_setup_code"),
            List.of("source_file", "challenge_test_list")),
    /**
     * EvalPlus's HumanEval+ ({@code HumanEvalPlus.jsonl.gz}): judged only by {@code base_input} and
     * {@code plus_input} against the canonical solution's outputs. {@code contract} (input validation)
     * and {@code test} (the original HumanEval check, whose inputs are {@code base_input}) are kept
     * out of judging.
     */
    HUMANEVAL_PLUS(
            "EvalPlus HumanEval+",
            ProblemFormat.HUMAN_EVAL,
            true,
            List.of("task_id", "prompt", "entry_point", "canonical_solution", "base_input", "plus_input", "atol"),
            List.of("contract", "test")),
    /**
     * EvalPlus's MBPP+ ({@code MbppPlus.jsonl.gz}): judged only by {@code base_input} and {@code
     * plus_input}; {@code prompt} is a docstring holding the description and one example assert.
     */
    MBPP_PLUS(
            "EvalPlus MBPP+",
            ProblemFormat.MBPP,
            true,
            List.of(
                    "task_id",
                    "prompt",
                    "entry_point",
                    "canonical_solution",
                    "base_input",
                    "plus_input",
                    "atol",
                    "assertion"),
            List.of("contract", "source_file", "code", "test_list", "test_imports")),
    /**
     * EvalPlus's MBPP+ in MBPP's shape ({@code MbppPlus-OriginFmt}): judged by {@code test}, a script
     * that runs every base and plus input on its own; one verdict, base and plus together.
     */
    MBPP_PLUS_ORIGIN_FMT(
            "EvalPlus MBPP+ (OriginFmt)",
            ProblemFormat.MBPP,
            false,
            List.of("task_id", "prompt", "code", "test", "test_list", "test_imports"),
            List.of("source_file"));

    private final String label;
    private final ProblemFormat problemFormat;
    private final boolean plusTests;
    private final SequencedSet<String> readFields;
    private final SequencedSet<String> informationalFields;

    DatasetFileFormat(
            String label,
            ProblemFormat problemFormat,
            boolean plusTests,
            List<String> readFields,
            List<String> informationalFields) {
        this.label = label;
        this.problemFormat = problemFormat;
        this.plusTests = plusTests;
        this.readFields = new LinkedHashSet<>(readFields);
        this.informationalFields = new LinkedHashSet<>(informationalFields);
    }

    /** The format's name as users know it. */
    String label() {
        return label;
    }

    /** How the prompt and the program of its problems are built. */
    ProblemFormat problemFormat() {
        return problemFormat;
    }

    /** Whether its problems have plus inputs judged apart from the base ones (pass@k on both). */
    boolean plusTests() {
        return plusTests;
    }

    /** Whether a record of this format may carry {@code field}. */
    boolean understands(String field) {
        return readFields.contains(field) || informationalFields.contains(field);
    }

    /** Says which fields the format reads and which it accepts unused, for an error message. */
    String describeFields() {
        return label + " reads " + String.join(", ", readFields)
                + (informationalFields.isEmpty()
                        ? ""
                        : " and accepts " + String.join(", ", informationalFields) + " without using them");
    }
}
