package dev.evalfleet.worker.repair;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.InputTests;
import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.TestSuite;
import java.util.List;
import org.junit.jupiter.api.Test;

class VisibleTestsTests {

    private static final String PROMPT = """
            from typing import List


            def below(xs: List[int], limit: int) -> List[int]:
                \"\"\" Keeps what is below the limit.
                >>> below([1, 5, 2], 3)
                [1, 2]
                >>> below([], 3)
                []
                >>> below([1,
                ...        2], 3)
                [1, 2]
                >>> print(below([1], 3))
                [1]
                >>> below([4], 3) # no output shown
                >>> sorted(set(below([2, 1], 9)))
                [1, 2]
                >>> helper()
                3
                >>> below([1], 2)
                something else
                >>> below([9], 10)
                [9]\"\"\"
            """;

    @Test
    void literalDoctestsBecomeAsserts() {
        assertThat(VisibleTests.doctests(PROMPT, "below"))
                .containsExactly(
                        "assert below([1, 5, 2], 3) == [1, 2]",
                        "assert below([], 3) == []",
                        "assert print(below([1], 3)) == [1]",
                        "assert sorted(set(below([2, 1], 9))) == [1, 2]",
                        "assert below([9], 10) == [9]");
    }

    @Test
    void mbppShowsItsFirstAssertOnly() {
        ProblemPayload problem = new ProblemPayload(
                "Mbpp/1",
                ProblemFormat.MBPP,
                "Write a function.",
                "f",
                TestSuite.asserts("import math", List.of("assert f(1) == 2", "assert f(2) == 3"), "f"),
                null);

        assertThat(VisibleTests.asserts(problem)).containsExactly("assert f(1) == 2");
        assertThat(VisibleTests.suite(problem).setup()).isEqualTo("import math");
    }

    @Test
    void mbppPlusShowsTheExampleItsPromptShowsAndImportsMathForIt() {
        String example = "assert math.isclose(circle_area(1), 3.141592653589793, rel_tol=0.001)";
        ProblemPayload problem = new ProblemPayload(
                "Mbpp/902",
                ProblemFormat.MBPP,
                "Write a function to compute the area of a circle of radius r.\nYour code should pass this test:\n"
                        + example,
                "circle_area",
                TestSuite.inputs(
                        new InputTests(InputTests.Dataset.MBPP, "Mbpp/902", "[[1], [2.5]]", "[[100]]", 1e-6),
                        "circle_area",
                        "import math\ndef circle_area(r):\n    return math.pi * r * r\n"),
                null);

        TestSuite suite = VisibleTests.suite(problem);
        assertThat(suite.asserts()).containsExactly(example);
        assertThat(suite.setup()).isEqualTo("import math");
        assertThat(suite.hasInputs()).as("never the hidden inputs").isFalse();
    }

    @Test
    void mbppPlusOriginFmtNeverShowsItsTestScript() {
        String script = "import numpy as np\n\ninputs = [[[1, 2]]]\nresults = [5]\n"
                + "for inp, exp in zip(inputs, results):\n    assert sum_of_squares(*inp) == exp\n";
        ProblemPayload problem = new ProblemPayload(
                "901",
                ProblemFormat.MBPP,
                "Return the sum of the squares.\nYour code should pass this test:\nassert sum_of_squares([1, 2]) == 5",
                "sum_of_squares",
                TestSuite.asserts("", List.of(script), "sum_of_squares"),
                null);

        assertThat(VisibleTests.asserts(problem)).containsExactly("assert sum_of_squares([1, 2]) == 5");
        assertThat(VisibleTests.suite(problem).setup()).isEmpty();
    }

    @Test
    void humanEvalPlusShowsItsDoctests() {
        ProblemPayload problem = new ProblemPayload(
                "HumanEval/0",
                ProblemFormat.HUMAN_EVAL,
                PROMPT,
                "below",
                TestSuite.inputs(
                        new InputTests(InputTests.Dataset.HUMANEVAL, "HumanEval/0", "[[[1], 3]]", "[]", 0),
                        "below",
                        PROMPT + "    return [x for x in xs if x < limit]\n"),
                null);

        assertThat(VisibleTests.asserts(problem)).hasSize(5).first().isEqualTo("assert below([1, 5, 2], 3) == [1, 2]");
    }

    @Test
    void aProblemWithoutExamplesIsJudgedByWhetherItRuns() {
        ProblemPayload problem = new ProblemPayload(
                "X/0",
                ProblemFormat.HUMAN_EVAL,
                "def f():\n    \"\"\"No examples.\"\"\"\n",
                "f",
                TestSuite.humanEval("def check(candidate):\n    assert candidate() == 1\n", "f"),
                null);

        TestSuite suite = VisibleTests.suite(problem);
        assertThat(suite.asserts()).containsExactly(VisibleTests.PROGRAM_RUNS);
        assertThat(suite.checkProgram()).isNull();
    }

    @Test
    void recognisesPythonLiterals() {
        assertThat(List.of(
                        "1",
                        "-2.5",
                        "1e-3",
                        "0x1F",
                        "'a'",
                        "\"b\\\"c\"",
                        "True",
                        "None",
                        "[1, (2, 3), {'a': [None]}]",
                        "{1, 2}",
                        "()",
                        "(1,)",
                        "{}",
                        "b'x'",
                        "3j"))
                .allSatisfy(text ->
                        assertThat(PythonLiteral.isLiteral(text)).as(text).isTrue());
        assertThat(List.of(
                        "",
                        "x",
                        "[1, 2",
                        "f(1)",
                        "1 + 2",
                        "inf",
                        "Truey",
                        "[1] [2]",
                        "Traceback (most recent call last):"))
                .allSatisfy(text ->
                        assertThat(PythonLiteral.isLiteral(text)).as(text).isFalse());
    }
}
