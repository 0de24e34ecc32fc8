package dev.evalfleet.contracts;

/**
 * EvalPlus-style differential tests: every input is one test, and a program passes an input when its
 * output matches the reference solution's output on that input under EvalPlus's comparison rules
 * (exact, or within {@code atol} for floats, and the dataset's special oracles). The expected
 * outputs are not carried: the scoring service computes them by running the reference in its sandbox.
 *
 * @param dataset which EvalPlus dataset's rules apply (its special oracles and input decoding)
 * @param problemId the problem's id in that dataset ({@code HumanEval/32}, {@code Mbpp/2}); the rules
 *     name problems by it
 * @param baseInputs the base inputs, as the JSON array of argument lists the dataset file holds
 * @param plusInputs the plus inputs, likewise; {@code "[]"} when there are none
 * @param atol absolute tolerance for float outputs (EvalPlus's {@code atol}); 0 means exact, with
 *     EvalPlus's 1e-6 for float outputs
 */
public record InputTests(Dataset dataset, String problemId, String baseInputs, String plusInputs, double atol) {

    public InputTests {
        plusInputs = plusInputs == null || plusInputs.isBlank() ? "[]" : plusInputs;
    }

    /** The EvalPlus dataset whose rules apply. */
    public enum Dataset {
        HUMANEVAL,
        MBPP
    }
}
