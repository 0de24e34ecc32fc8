package dev.evalfleet.coordinator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.evalfleet.contracts.InputTests;
import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.coordinator.upload.InvalidUploadException;
import dev.evalfleet.coordinator.upload.JsonRecords;
import dev.evalfleet.coordinator.upload.LineError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * EvalPlus's HumanEval+ and MBPP+, in their own format and in the original datasets' shapes: each
 * judged by what its file holds, never by less. The real HumanEval+ file is read where this machine
 * has it; the other shapes are hand-written fixtures of made-up problems.
 */
class EvalPlusFormatsTest {

    private static final String HUMAN_EVAL_LINE = """
            {"task_id": "Demo/0", "prompt": "def add(a, b):\\n    \\"\\"\\"Sum.\\"\\"\\"\\n", "canonical_solution": "    return a + b\\n", "test": "def check(candidate):\\n    assert candidate(1, 2) == 3\\n", "entry_point": "add"}""";

    private static final String HUMAN_EVAL_PLUS_LINE = """
            {"task_id": "Demo/0", "prompt": "def add(a, b):\\n    \\"\\"\\"Sum.\\"\\"\\"\\n", "entry_point": "add", "canonical_solution": "    return a + b\\n", "test": "def check(candidate):\\n    assert candidate(1, 2) == 3\\n", "contract": "", "base_input": [[1, 2], [0, 0]], "plus_input": [[1.0E2, -3], [NaN, 1]], "atol": 0}""";

    private final DatasetParser parser = new DatasetParser(new JsonRecords(64L << 20), 50);

    @Test
    void importsEvalPlusHumanEvalPlusJudgedByItsInputsAlone() throws IOException {
        Path humanEvalPlus = HumanEvalPlusFile.path();
        Assumptions.assumeTrue(humanEvalPlus != null, HumanEvalPlusFile.SKIP_MESSAGE);
        byte[] file = Files.readAllBytes(humanEvalPlus);
        DatasetParser.Parsed parsed = parser.parse(file);

        assertThat(parsed.format()).isEqualTo(DatasetFileFormat.HUMANEVAL_PLUS);
        assertThat(parsed.format().problemFormat()).isEqualTo(ProblemFormat.HUMAN_EVAL);
        assertThat(parsed.format().plusTests()).isTrue();
        assertThat(parsed.problems()).hasSize(164);
        assertThat(parsed.testInputs())
                .as("base and plus inputs of all 164 problems")
                .isEqualTo(124_253);

        ParsedProblem first = parsed.problems().getFirst();
        TestSuite tests = first.tests();
        assertThat(tests.hasInputs()).isTrue();
        assertThat(tests.hasCheckFunction())
                .as("HumanEval's own check is not judged: its inputs are base_input")
                .isFalse();
        assertThat(tests.asserts()).isEmpty();
        assertThat(tests.inputs().dataset()).isEqualTo(InputTests.Dataset.HUMANEVAL);
        assertThat(tests.inputs().problemId()).isEqualTo("HumanEval/0");
        assertThat(tests.inputs().baseInputs()).startsWith("[[[1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3]");
        assertThat(tests.reference()).isEqualTo(first.prompt() + first.canonicalSolution());
        assertThat(first.unjudgedTest()).contains("def check(candidate)");
        String firstLine = decompressed(file).lines().findFirst().orElseThrow();
        assertThat(firstLine)
                .as("the inputs are passed on exactly as the file writes them")
                .contains("\"base_input\": " + tests.inputs().baseInputs())
                .contains("\"plus_input\": " + tests.inputs().plusInputs());
        assertThat(parsed.problems())
                .extracting(p -> p.tests().inputs().atol())
                .as("atol as the file gives it")
                .contains(0.0, 1e-6);
    }

    @Test
    void readsEvalPlusNativeRecordsKeepingTheirInputsAsWritten() {
        DatasetParser.Parsed parsed = parse(HUMAN_EVAL_PLUS_LINE);
        ParsedProblem problem = parsed.problems().getFirst();
        assertThat(parsed.format()).isEqualTo(DatasetFileFormat.HUMANEVAL_PLUS);
        assertThat(problem.tests().inputs())
                .as("Python writes NaN; numbers keep their spelling")
                .isEqualTo(new InputTests(
                        InputTests.Dataset.HUMANEVAL, "Demo/0", "[[1, 2], [0, 0]]", "[[1.0E2, -3], [NaN, 1]]", 0));
        assertThat(problem.testInputs()).isEqualTo(4);
    }

    @Test
    void keepsInputsAsWrittenInAJsonArrayFileToo() {
        String array = "[\n  " + HUMAN_EVAL_PLUS_LINE + ",\n  "
                + HUMAN_EVAL_PLUS_LINE.replace("Demo/0", "Demo/1").replace("[[1, 2], [0, 0]]", "[ [3,4] ]")
                + "\n]";
        List<ParsedProblem> problems = parse(array).problems();
        assertThat(problems)
                .extracting(p -> p.tests().inputs().baseInputs())
                .containsExactly("[[1, 2], [0, 0]]", "[ [3,4] ]");
    }

    @Test
    void readsMbppPlusNative() {
        DatasetParser.Parsed parsed = parse(fixture("mbppplus-native.jsonl"));
        assertThat(parsed.format()).isEqualTo(DatasetFileFormat.MBPP_PLUS);
        assertThat(parsed.format().problemFormat()).isEqualTo(ProblemFormat.MBPP);
        assertThat(parsed.problems())
                .extracting(ParsedProblem::taskId)
                .containsExactly("Mbpp/901", "Mbpp/902", "Mbpp/903");
        assertThat(parsed.testInputs()).isEqualTo(6 + 6 + 2);

        ParsedProblem circle = parsed.problems().get(1);
        assertThat(circle.prompt())
                .as("the docstring's description and example assert, shown as MBPP shows them")
                .isEqualTo("Write a function to compute the area of a circle of radius r.\n"
                        + "Your code should pass this test:\n"
                        + "assert math.isclose(circle_area(1), 3.141592653589793, rel_tol=0.001)");
        assertThat(circle.entryPoint()).isEqualTo("circle_area");
        assertThat(circle.canonicalSolution())
                .isEqualTo("import math\n\ndef circle_area(r):\n    return math.pi * r * r\n");
        TestSuite tests = circle.tests();
        assertThat(tests.inputs())
                .isEqualTo(new InputTests(
                        InputTests.Dataset.MBPP, "Mbpp/902", "[[1], [2.50], [0]]", "[[0.001], [100], [7.25]]", 1e-6));
        assertThat(tests.reference())
                .as("EvalPlus's ground truth runs prompt + canonical_solution")
                .startsWith("\"\"\"\nWrite a function to compute the area")
                .endsWith("\"\"\"\nimport math\n\ndef circle_area(r):\n    return math.pi * r * r\n");
        assertThat(parsed.problems().get(2).tests().inputs().plusInputs()).isEqualTo("[]");
    }

    @Test
    void readsMbppPlusOriginFmtJudgedByItsTestScript() {
        DatasetParser.Parsed parsed = parse(fixture("mbppplus-originfmt.jsonl"));
        assertThat(parsed.format())
                .as("MBPP's fields and a test script: not HumanEval although it has 'test'")
                .isEqualTo(DatasetFileFormat.MBPP_PLUS_ORIGIN_FMT);
        assertThat(parsed.format().plusTests()).isFalse();
        ParsedProblem circle = parsed.problems().get(1);
        assertThat(circle.taskId()).isEqualTo("902");
        assertThat(circle.entryPoint()).isEqualTo("circle_area");
        assertThat(circle.prompt())
                .isEqualTo("Write a function to compute the area of a circle of radius r.\n"
                        + "Your code should pass this test:\n"
                        + "assert math.isclose(circle_area(1), 3.141592653589793, rel_tol=0.001)");
        TestSuite tests = circle.tests();
        assertThat(tests.hasInputs()).isFalse();
        assertThat(tests.setup()).isEqualTo("import math");
        assertThat(tests.asserts())
                .singleElement()
                .asString()
                .startsWith("import numpy as np")
                .contains("inputs = [[1], [2.5], [0]")
                .contains("assertion(circle_area(*inp), exp, 1e-06)");
        assertThat(tests.reference()).isEqualTo(circle.canonicalSolution());
    }

    @Test
    void readsHumanEvalPlusOriginFmtAsHumanEval() {
        DatasetParser.Parsed parsed = parse(fixture("humanevalplus-originfmt.jsonl"));
        assertThat(parsed.format()).isEqualTo(DatasetFileFormat.HUMANEVAL);
        ParsedProblem mean = parsed.problems().get(1);
        assertThat(mean.tests().checkProgram()).contains("def check(candidate):", "inputs = [[[1.0, 2.0, 3.0]]");
        assertThat(mean.tests().reference()).isEqualTo(mean.prompt() + mean.canonicalSolution());
    }

    @Test
    void acceptsAHumanEvalPlusSizedTestAndFile() {
        // HumanEval+'s OriginFmt has a test of ~0.5 MB for one problem and ~20 MB in all
        String bigTest = "def check(candidate):\n" + "    assert candidate(1, 2) == 3\n".repeat(20_000);
        String line = HUMAN_EVAL_LINE.replace(
                "def check(candidate):\\n    assert candidate(1, 2) == 3\\n", bigTest.replace("\n", "\\n"));
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            file.append(line.replace("Demo/0", "Demo/" + i)).append('\n');
        }
        assertThat(bigTest.length()).isGreaterThan(600_000);
        assertThat(file.length()).isGreaterThan(18_000_000);
        DatasetParser.Parsed parsed = parse(file.toString());
        assertThat(parsed.problems()).hasSize(30);
        assertThat(parsed.problems().getLast().tests().checkProgram()).isEqualTo(bigTest);
    }

    @Test
    void refusesAFieldTheDetectedFormatDoesNotUseNamingFieldAndLine() {
        String plusInputWithoutBase = HUMAN_EVAL_LINE
                .replace("Demo/0", "Demo/1")
                .replace("\"entry_point\"", "\"plus_input\": [[1, 1]], \"entry_point\"");
        assertThatThrownBy(() -> parse(HUMAN_EVAL_LINE + "\n" + plusInputWithoutBase))
                .isInstanceOfSatisfying(InvalidUploadException.class, e -> {
                    assertThat(e.errors())
                            .extracting(LineError::line, LineError::field)
                            .containsExactly(tuple(2, "plus_input"));
                    assertThat(e.errors().getFirst().message())
                            .contains("not a field of HumanEval")
                            .contains("reads task_id, prompt, canonical_solution, test, entry_point");
                });
        assertThatThrownBy(() -> parse(HUMAN_EVAL_PLUS_LINE
                        .replace("Demo/0", "HumanEval/0")
                        .replace("\"atol\"", "\"assertion\": \"assert True\", \"atol\"")))
                .as("MBPP+'s field in a HumanEval+ record")
                .isInstanceOfSatisfying(
                        InvalidUploadException.class,
                        e -> assertThat(e.errors())
                                .extracting(LineError::line, LineError::field)
                                .containsExactly(tuple(1, "assertion")));
    }

    @Test
    void refusesMbppChallengeTestsItWouldNotRun() {
        String mbpp = """
                {"task_id": 7, "text": "Double it.", "code": "def twice(x):\\n    return 2 * x", "test_list": ["assert twice(2) == 4"], "test_setup_code": "", "challenge_test_list": []}""";
        assertThat(parse(mbpp).format()).isEqualTo(DatasetFileFormat.MBPP);
        assertThatThrownBy(() -> parse(mbpp.replace(
                        "\"challenge_test_list\": []", "\"challenge_test_list\": [\"assert twice(0) == 0\"]")))
                .isInstanceOfSatisfying(
                        InvalidUploadException.class,
                        e -> assertThat(e.errors())
                                .extracting(LineError::line, LineError::field)
                                .containsExactly(tuple(1, "challenge_test_list")));
    }

    @Test
    void refusesMalformedEvalPlusFields() {
        String bad = HUMAN_EVAL_PLUS_LINE
                .replace("\"base_input\": [[1, 2], [0, 0]]", "\"base_input\": [1, 2]")
                .replace("\"atol\": 0", "\"atol\": -1");
        assertThatThrownBy(() -> parse(HUMAN_EVAL_PLUS_LINE + "\n" + bad))
                .isInstanceOfSatisfying(
                        InvalidUploadException.class,
                        e -> assertThat(e.errors())
                                .extracting(LineError::line, LineError::field)
                                .containsExactly(tuple(2, "base_input"), tuple(2, "atol")));
    }

    @Test
    void refusesAPropertyWrittenTwice() {
        assertThatThrownBy(() -> parse(HUMAN_EVAL_LINE.replace(
                        "\"entry_point\": \"add\"", "\"entry_point\": \"add\", \"entry_point\": \"sub\"")))
                .isInstanceOfSatisfying(
                        InvalidUploadException.class,
                        e -> assertThat(e.errors()).extracting(LineError::line).containsExactly(1));
    }

    @Test
    void mbppPlusPromptFallsBackOnTheFirstAssertion() {
        assertThat(DatasetParser.mbppPlusPrompt(
                        "\"\"\"\nReverse a list.\n\"\"\"\n", "\nassert rev([1, 2]) == [2, 1]\nassert rev([]) == []\n"))
                .isEqualTo("Reverse a list.\nYour code should pass this test:\nassert rev([1, 2]) == [2, 1]");
        assertThat(DatasetParser.mbppPlusPrompt("Reverse a list.", "")).isEqualTo("Reverse a list.");
    }

    private DatasetParser.Parsed parse(String text) {
        return parser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String fixture(String name) {
        try (InputStream in = EvalPlusFormatsTest.class.getResourceAsStream("/datasets/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String decompressed(byte[] gzip) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
