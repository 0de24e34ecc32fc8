package dev.evalfleet.coordinator.result;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * One sample of a problem as the dashboard's problem page shows it (or, with {@code sampleIndex}
 * {@code null}, the row of a task that failed without samples).
 *
 * @param rawOutput the model's answer as it came
 * @param completion the code extracted from it
 * @param feedback the scoring service's feedback on the hidden tests
 * @param turn, parentId, reward self-repair (murphy) nodes only
 * @param failureReason a FAILED task's row only: why it has no samples
 */
public record SampleView(
        Integer sampleIndex,
        String verdict,
        boolean passed,
        Boolean passedBase,
        int testsPassed,
        int testsTotal,
        Long executionMs,
        Double timeLimitSeconds,
        Long generationMs,
        Integer promptTokens,
        Integer completionTokens,
        String worker,
        String rawOutput,
        String completion,
        String feedback,
        Integer turn,
        Integer parentId,
        Double reward,
        String failureReason,
        Instant createdAt) {

    static final Set<ResultColumn> COLUMNS = EnumSet.of(
            ResultColumn.SAMPLE_INDEX,
            ResultColumn.VERDICT,
            ResultColumn.PASSED,
            ResultColumn.PASSED_BASE,
            ResultColumn.TESTS_PASSED,
            ResultColumn.TESTS_TOTAL,
            ResultColumn.EXECUTION_MS,
            ResultColumn.TIME_LIMIT_SECONDS,
            ResultColumn.GENERATION_MS,
            ResultColumn.PROMPT_TOKENS,
            ResultColumn.COMPLETION_TOKENS,
            ResultColumn.WORKER,
            ResultColumn.RAW_OUTPUT,
            ResultColumn.COMPLETION,
            ResultColumn.FEEDBACK,
            ResultColumn.TURN,
            ResultColumn.PARENT_ID,
            ResultColumn.REWARD,
            ResultColumn.FAILURE_REASON,
            ResultColumn.CREATED_AT);

    static SampleView of(ResultRow row) {
        return new SampleView(
                row.integer(ResultColumn.SAMPLE_INDEX),
                row.text(ResultColumn.VERDICT),
                row.passed(),
                row.flag(ResultColumn.PASSED_BASE),
                row.integer(ResultColumn.TESTS_PASSED),
                row.integer(ResultColumn.TESTS_TOTAL),
                row.whole(ResultColumn.EXECUTION_MS),
                row.decimal(ResultColumn.TIME_LIMIT_SECONDS),
                row.whole(ResultColumn.GENERATION_MS),
                row.integer(ResultColumn.PROMPT_TOKENS),
                row.integer(ResultColumn.COMPLETION_TOKENS),
                row.text(ResultColumn.WORKER),
                row.text(ResultColumn.RAW_OUTPUT),
                row.text(ResultColumn.COMPLETION),
                row.text(ResultColumn.FEEDBACK),
                row.integer(ResultColumn.TURN),
                row.integer(ResultColumn.PARENT_ID),
                row.decimal(ResultColumn.REWARD),
                row.text(ResultColumn.FAILURE_REASON),
                (Instant) row.get(ResultColumn.CREATED_AT));
    }
}
