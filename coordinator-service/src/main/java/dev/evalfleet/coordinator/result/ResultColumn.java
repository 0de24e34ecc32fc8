package dev.evalfleet.coordinator.result;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The columns of a job's results, each defined once: its name is the column of the {@code result_row}
 * view and the field of the exports, and the order of the exported ones is the CSV's column order.
 */
public enum ResultColumn {
    TASK_ID(true),
    SAMPLE_INDEX(true),
    VERDICT(true),
    PASSED(true),
    /** Datasets with EvalPlus plus inputs only: passed the base inputs ({@code passed} is base and plus). */
    PASSED_BASE(true),
    TESTS_PASSED(true),
    TESTS_TOTAL(true),
    EXECUTION_MS(true),
    /** {@code fixed}, {@code calibrated} or {@code default}. */
    TIME_LIMIT_RULE(true),
    TIME_LIMIT_SECONDS(true),
    GENERATION_MS(true),
    PROMPT_TOKENS(true),
    COMPLETION_TOKENS(true),
    WORKER(true),
    /** A FAILED task's row only: why it has no samples. */
    FAILURE_REASON(true),
    COMPLETION(true),
    /** Self-repair (murphy) jobs only; {@code node_id} is the sample index, so parent_id rebuilds the tree. */
    TURN(true),
    NODE_ID(true),
    PARENT_ID(true),
    REWARD(true),
    CREDIT_MARS(true),
    CREDIT_MERS(true),
    FEEDBACK_SOURCE(true),
    /** Who started the job: the API key's name, or the token's subject. */
    CREATED_BY(true),
    ORDINAL(false),
    RAW_OUTPUT(false),
    FEEDBACK(false),
    REFERENCE_SECONDS(false),
    NODE_PROMPT(false),
    FEEDBACK_TESTS_PASSED(false),
    FEEDBACK_TESTS_TOTAL(false),
    REPAIR_FEEDBACK(false),
    /** A job made from a samples file: the sample's line in it, and the line's object as written. */
    INPUT_LINE(false),
    ORIGINAL(false),
    CREATED_AT(false),
    /** When the model request that produced the sample started, by the worker's clock. */
    GENERATION_STARTED_AT(false);

    private final boolean exported;

    ResultColumn(boolean exported) {
        this.exported = exported;
    }

    /** The view's column, and the name in every export. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The CSV's columns, in order. */
    public static List<ResultColumn> csv() {
        return Arrays.stream(values()).filter(column -> column.exported).toList();
    }
}
