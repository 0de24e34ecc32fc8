package dev.evalfleet.coordinator.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.evalfleet.contracts.InputTests;
import dev.evalfleet.contracts.TestSuite;
import java.util.List;

/**
 * A problem as the API shows it.
 *
 * @param judgedBy {@code check} (HumanEval's check function), {@code asserts} (MBPP's asserts, or a
 *     test script) or {@code inputs} (EvalPlus inputs against the reference's outputs)
 * @param reference the reference solution as a complete program, which time limits are calibrated on
 * @param inputTests the EvalPlus inputs, for problems judged by them
 */
record ProblemView(
        String taskId,
        String prompt,
        String entryPoint,
        String canonicalSolution,
        String judgedBy,
        String test,
        String testSetup,
        List<String> testAsserts,
        @JsonInclude(JsonInclude.Include.NON_NULL) InputTestsView inputTests,
        String reference) {

    /** EvalPlus inputs as the dataset file writes them. */
    record InputTestsView(
            InputTests.Dataset rules,
            @JsonRawValue String baseInputs,
            @JsonRawValue String plusInputs,
            double atol) {}

    static ProblemView of(ProblemDefinition problem) {
        TestSuite tests = problem.tests();
        InputTests inputs = tests.inputs();
        return new ProblemView(
                problem.taskId(),
                problem.prompt(),
                problem.entryPoint(),
                problem.canonicalSolution(),
                tests.hasInputs() ? "inputs" : tests.hasCheckFunction() ? "check" : "asserts",
                tests.checkProgram(),
                tests.setup(),
                tests.asserts(),
                inputs == null
                        ? null
                        : new InputTestsView(inputs.dataset(), inputs.baseInputs(), inputs.plusInputs(), inputs.atol()),
                tests.reference());
    }
}
