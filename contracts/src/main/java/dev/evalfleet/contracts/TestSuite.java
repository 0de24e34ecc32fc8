package dev.evalfleet.contracts;

import java.util.List;

/**
 * The hidden tests of one problem.
 *
 * <p>HumanEval style: {@code checkProgram} defines {@code check(candidate)}, which the harness calls
 * with the function named {@code entryPoint}. MBPP style: {@code setup} runs first, then each entry of
 * {@code asserts} is one test. Exactly one of {@code checkProgram} and {@code asserts} is non-empty.
 *
 * @param setup code run before the tests (imports, fixtures); may be empty
 * @param checkProgram HumanEval's {@code test} field, or {@code null}
 * @param asserts one statement per test, or an empty list
 * @param entryPoint name of the function under test
 */
public record TestSuite(String setup, String checkProgram, List<String> asserts, String entryPoint) {

    public TestSuite {
        setup = setup == null ? "" : setup;
        asserts = asserts == null ? List.of() : List.copyOf(asserts);
    }

    public static TestSuite humanEval(String checkProgram, String entryPoint) {
        return new TestSuite("", checkProgram, List.of(), entryPoint);
    }

    public static TestSuite asserts(String setup, List<String> asserts, String entryPoint) {
        return new TestSuite(setup, null, asserts, entryPoint);
    }

    public boolean hasCheckFunction() {
        return checkProgram != null && !checkProgram.isBlank();
    }
}
