package dev.evalfleet.coordinator.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.coordinator.upload.InvalidUploadException;
import dev.evalfleet.coordinator.upload.JsonRecords;
import dev.evalfleet.coordinator.upload.LineError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class DatasetParserTest {

    private static final String HUMAN_EVAL_LINE = """
            {"task_id": "Demo/0", "prompt": "def add(a, b):\\n    \\"\\"\\"Sum.\\"\\"\\"\\n", "canonical_solution": "    return a + b\\n", "test": "def check(candidate):\\n    assert candidate(1, 2) == 3\\n", "entry_point": "add"}""";

    private static final String MBPP_LINE = """
            {"task_id": 7, "text": "Write a function to double every item of a list.", "code": "import math\\ndef helper(x):\\n    return x\\ndef double_all(xs):\\n    return [2 * helper(x) for x in xs]", "test_list": ["assert double_all([1, 2]) == [2, 4]", "assert double_all([]) == []"], "test_imports": ["import math"], "test_setup_code": "BASE = 1", "challenge_test_list": []}""";

    private final DatasetParser parser = new DatasetParser(new JsonRecords(1 << 20), 50);

    @Test
    void readsHumanEvalLines() {
        DatasetParser.Parsed parsed = parse(HUMAN_EVAL_LINE + "\n\n" + HUMAN_EVAL_LINE.replace("Demo/0", "Demo/1"));
        assertThat(parsed.format()).isEqualTo(DatasetFileFormat.HUMANEVAL);
        assertThat(parsed.format().problemFormat()).isEqualTo(ProblemFormat.HUMAN_EVAL);
        assertThat(parsed.problems()).extracting(ParsedProblem::taskId).containsExactly("Demo/0", "Demo/1");
        ParsedProblem first = parsed.problems().getFirst();
        assertThat(first.entryPoint()).isEqualTo("add");
        assertThat(first.tests().checkProgram()).contains("def check(candidate):");
        assertThat(first.tests().asserts()).isEmpty();
        assertThat(first.tests().reference())
                .as("the reference a time limit is calibrated on: prompt + canonical solution")
                .isEqualTo("def add(a, b):\n    \"\"\"Sum.\"\"\"\n    return a + b\n");
    }

    @Test
    void normalisesOriginalMbpp() {
        ParsedProblem problem = parse(MBPP_LINE).problems().getFirst();
        assertThat(problem.taskId()).isEqualTo("7");
        assertThat(problem.entryPoint())
                .as("the function the tests call, not the first defined")
                .isEqualTo("double_all");
        assertThat(problem.prompt())
                .startsWith("Write a function to double every item of a list.")
                .contains("assert double_all([1, 2]) == [2, 4]")
                .doesNotContain("assert double_all([]) == []");
        assertThat(problem.tests().asserts()).hasSize(2);
        assertThat(problem.tests().setup()).isEqualTo("import math\nBASE = 1");
        assertThat(problem.tests().hasCheckFunction()).isFalse();
        assertThat(problem.canonicalSolution()).contains("def double_all");
        assertThat(problem.tests().reference()).isEqualTo(problem.canonicalSolution());
    }

    @Test
    void readsSanitizedMbppAsAJsonArrayWithLineNumbers() {
        String array = """
                [
                  {"task_id": 2, "prompt": "Double a number.", "code": "def twice(x):\\n    return 2 * x", "test_list": ["assert twice(2) == 4"], "test_imports": []},
                  {"task_id": 3, "prompt": "Negate.", "code": "def neg(x):\\n    return -x", "test_list": []}
                ]
                """;
        assertThatThrownBy(() -> parse(array))
                .isInstanceOfSatisfying(
                        InvalidUploadException.class,
                        e -> assertThat(e.errors())
                                .extracting(LineError::line, LineError::field)
                                .containsExactly(tuple(3, "test_list")));
        DatasetParser.Parsed parsed =
                parse(array.replace("\"test_list\": []", "\"test_list\": [\"assert neg(1) == -1\"]"));
        assertThat(parsed.format()).isEqualTo(DatasetFileFormat.MBPP_SANITIZED);
        assertThat(parsed.problems()).extracting(ParsedProblem::entryPoint).containsExactly("twice", "neg");
    }

    @Test
    void readsGzip() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(HUMAN_EVAL_LINE.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(parser.parse(bytes.toByteArray()).problems()).hasSize(1);
    }

    @Test
    void rejectsTheWholeFileNamingLineAndFieldOfEachError() {
        String file = String.join(
                "\n",
                HUMAN_EVAL_LINE,
                "{\"task_id\": \"Demo/1\", \"prompt\": \"x\", \"canonical_solution\": \"y\", \"entry_point\": \"f\"}",
                "this is not json",
                HUMAN_EVAL_LINE,
                "{\"task_id\": \"Demo/2\", \"prompt\": 3, \"canonical_solution\": \"\", \"test\": \"assert True\", \"entry_point\": \"f\"}");
        assertThatThrownBy(() -> parse(file))
                .isInstanceOfSatisfying(
                        InvalidUploadException.class,
                        e -> assertThat(e.errors())
                                .extracting(LineError::line, LineError::field)
                                .containsExactly(
                                        tuple(2, "test"),
                                        tuple(3, null),
                                        tuple(4, "task_id"),
                                        tuple(5, "prompt"),
                                        tuple(5, "test")));
    }

    @Test
    void reportsAtMostTheConfiguredNumberOfErrors() {
        DatasetParser strict = new DatasetParser(new JsonRecords(1 << 20), 3);
        String file = "{\"task_id\": \"a\", \"test\": \"x\"}\n".repeat(10);
        assertThatThrownBy(() -> strict.parse(file.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidUploadException.class, e -> {
                    assertThat(e.errors()).hasSize(3);
                    assertThat(e.getMessage()).contains("the first 3 are listed");
                });
    }

    @Test
    void rejectsAnEmptyFileAndAnUnknownFormat() {
        assertThatThrownBy(() -> parse("\n\n")).hasMessageContaining("1 error");
        assertThatThrownBy(() -> parse("{\"question\": \"?\"}"))
                .isInstanceOfSatisfying(
                        InvalidUploadException.class,
                        e -> assertThat(e.errors().getFirst().message()).contains("cannot tell the format"));
    }

    @Test
    void importsTheOfficialHumanEvalUnchanged() throws IOException {
        Path humanEval = HumanEvalFile.path();
        Assumptions.assumeTrue(humanEval != null, HumanEvalFile.SKIP_MESSAGE);
        DatasetParser.Parsed parsed = parser.parse(Files.readAllBytes(humanEval));
        assertThat(parsed.problems()).hasSize(164);
        assertThat(parsed.problems().getFirst().taskId()).isEqualTo("HumanEval/0");
        assertThat(parsed.problems().getLast().entryPoint()).isEqualTo("generate_integers");
    }

    private DatasetParser.Parsed parse(String text) {
        return parser.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
