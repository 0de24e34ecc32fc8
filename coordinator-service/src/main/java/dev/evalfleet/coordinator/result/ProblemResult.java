package dev.evalfleet.coordinator.result;

import dev.evalfleet.coordinator.sample.SampleCount;
import java.util.Map;

/**
 * One problem of a job: its samples and how they fared.
 *
 * @param problem the dataset's task id, e.g. {@code HumanEval/0}
 * @param ordinal the problem's position in the job
 * @param state the task's state
 * @param samples samples stored
 * @param passed samples that passed
 * @param passedBase on a dataset with EvalPlus plus inputs, samples that passed the base inputs;
 *     {@code null} otherwise
 * @param passRate passed / samples; {@code null} without samples
 * @param verdicts samples by verdict
 * @param meanExecutionMs mean time of a scoring run; {@code null} without samples
 * @param meanGenerationMs mean time the model took to answer; {@code null} without samples
 * @param promptTokens prompt tokens over the samples, as the servers reported them
 * @param completionTokens completion tokens over the samples
 */
public record ProblemResult(
        String problem,
        int ordinal,
        String state,
        int samples,
        int passed,
        Integer passedBase,
        Double passRate,
        Map<String, Long> verdicts,
        Double meanExecutionMs,
        Double meanGenerationMs,
        long promptTokens,
        long completionTokens) {

    /** What pass@k needs of the problem. */
    public SampleCount count() {
        return new SampleCount(samples, passed, passedBase == null ? passed : passedBase);
    }
}
