package dev.evalfleet.coordinator.dataset;

import java.util.List;

/** A problem as the API shows it. */
record ProblemView(
        String taskId,
        String prompt,
        String entryPoint,
        String canonicalSolution,
        String test,
        String testSetup,
        List<String> testAsserts) {

    static ProblemView of(ProblemDefinition problem) {
        return new ProblemView(
                problem.taskId(),
                problem.prompt(),
                problem.entryPoint(),
                problem.canonicalSolution(),
                problem.tests().checkProgram(),
                problem.tests().setup(),
                problem.tests().asserts());
    }
}
