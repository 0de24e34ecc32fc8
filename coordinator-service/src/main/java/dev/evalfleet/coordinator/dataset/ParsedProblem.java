package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.TestSuite;

/**
 * A problem read from an uploaded file, normalised to evalfleet's problem model.
 *
 * @param canonicalSolution what a model would answer: appended to the prompt for HumanEval's shape,
 *     the whole program for MBPP's
 * @param tests how it is judged, with the reference solution as a complete program
 * @param unjudgedTest a test the file holds but evalfleet does not judge by (EvalPlus HumanEval+'s
 *     original {@code test}, whose inputs are its {@code base_input}); {@code null} otherwise
 * @param testInputs EvalPlus inputs, base and plus; 0 for tests of other kinds
 */
record ParsedProblem(
        String taskId,
        String prompt,
        String entryPoint,
        String canonicalSolution,
        TestSuite tests,
        String unjudgedTest,
        int testInputs) {

    static ParsedProblem of(
            String taskId, String prompt, String entryPoint, String canonicalSolution, TestSuite tests) {
        return new ParsedProblem(taskId, prompt, entryPoint, canonicalSolution, tests, null, 0);
    }
}
