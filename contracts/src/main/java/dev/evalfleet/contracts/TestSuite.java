package dev.evalfleet.contracts;

import java.util.List;

/**
 * The hidden tests of one problem.
 *
 * <p>HumanEval style: {@code checkProgram} defines {@code check(candidate)}, which the harness calls
 * with the function named {@code entryPoint}. MBPP style: {@code setup} runs first, then each entry of
 * {@code asserts} is one test. EvalPlus style: {@code inputs} are differential tests against the
 * reference. Exactly one of {@code checkProgram}, {@code asserts} and {@code inputs} is non-empty.
 *
 * @param setup code run before the tests (imports, fixtures); may be empty
 * @param checkProgram HumanEval's {@code test} field, or {@code null}
 * @param asserts one statement per test, or an empty list
 * @param entryPoint name of the function under test
 * @param reference the reference solution as a complete program (trusted dataset content): time limits
 *     are calibrated on it, and input tests take their expected outputs from it; {@code null} when the
 *     dataset has none
 * @param inputs EvalPlus input tests, or {@code null}
 */
public record TestSuite(
        String setup,
        String checkProgram,
        List<String> asserts,
        String entryPoint,
        String reference,
        InputTests inputs) {

    public TestSuite {
        setup = setup == null ? "" : setup;
        asserts = asserts == null ? List.of() : List.copyOf(asserts);
    }

    public TestSuite(String setup, String checkProgram, List<String> asserts, String entryPoint) {
        this(setup, checkProgram, asserts, entryPoint, null, null);
    }

    public static TestSuite humanEval(String checkProgram, String entryPoint) {
        return new TestSuite("", checkProgram, List.of(), entryPoint);
    }

    public static TestSuite asserts(String setup, List<String> asserts, String entryPoint) {
        return new TestSuite(setup, null, asserts, entryPoint);
    }

    /** EvalPlus input tests of the function {@code entryPoint}, judged against {@code reference}. */
    public static TestSuite inputs(InputTests inputs, String entryPoint, String reference) {
        return new TestSuite("", null, List.of(), entryPoint, reference, inputs);
    }

    /** The same tests, with the reference solution they are calibrated on. */
    public TestSuite withReference(String referenceProgram) {
        return new TestSuite(setup, checkProgram, asserts, entryPoint, referenceProgram, inputs);
    }

    public boolean hasCheckFunction() {
        return checkProgram != null && !checkProgram.isBlank();
    }

    public boolean hasInputs() {
        return inputs != null;
    }
}
