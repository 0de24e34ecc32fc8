package dev.evalfleet.scoring.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.InputTests;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * EvalPlus's HumanEval+ in its own format ({@code HumanEvalPlus.jsonl.gz}, read from where the build
 * says, never copied into the project): every canonical solution passes base and plus, sandboxed, with
 * the default calibrated limits; a program that knows only the base inputs' answers fails plus.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HumanEvalPlusConformanceTest {

    private static final int PROBLEMS = 164;
    private static final int BATCH = 100;

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void everyCanonicalSolutionPassesBaseAndPlus() throws IOException {
        List<JsonNode> problems = problems();
        assertThat(problems).hasSize(PROBLEMS);
        List<ExecutionRequest> requests = problems.stream()
                .map(problem -> new ExecutionRequest(program(problem), tests(problem), null))
                .toList();

        long started = System.nanoTime();
        List<ExecutionResult> results = new ArrayList<>();
        for (int i = 0; i < requests.size(); i += BATCH) {
            HttpCalls.Response response = new HttpCalls(port, json)
                    .post("/api/executions/batch", requests.subList(i, Math.min(requests.size(), i + BATCH)));
            assertThat(response.status()).isEqualTo(200);
            response.body().forEach(node -> results.add(json.treeToValue(node, ExecutionResult.class)));
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        List<String> notPassed = new ArrayList<>();
        long inputs = 0;
        for (int i = 0; i < PROBLEMS; i++) {
            ExecutionResult result = results.get(i);
            inputs += result.testsTotal();
            if (result.verdict() != Verdict.PASSED
                    || !Boolean.TRUE.equals(result.passedBase())
                    || result.testsPassed() != result.testsTotal()) {
                notPassed.add(
                        problems.get(i).get("task_id").asString() + " " + result.verdict() + ": " + result.feedback());
            }
        }
        System.out.printf(
                "HumanEval+ conformance: %d/%d PASSED base and plus, %d inputs, %d s%n",
                PROBLEMS - notPassed.size(), PROBLEMS, inputs, seconds);
        assertThat(notPassed).isEmpty();
        assertThat(inputs).isEqualTo(124_253);
    }

    @Test
    void programThatKnowsOnlyTheBaseAnswersFailsPlus() throws IOException {
        JsonNode first = problems().getFirst();
        // HumanEval/0's seven base inputs answered from a table, anything else wrong
        String lookup = "def has_close_elements(numbers, threshold):\n"
                + "    table = {(1.0, 2.0, 3.9, 4.0, 5.0, 2.2, 0.3): True, (1.0, 2.0, 3.9, 4.0, 5.0, 2.2, 0.05): False,\n"
                + "             (1.0, 2.0, 5.9, 4.0, 5.0, 0.95): True, (1.0, 2.0, 5.9, 4.0, 5.0, 0.8): False,\n"
                + "             (1.0, 2.0, 3.0, 4.0, 5.0, 2.0, 0.1): True, (1.1, 2.2, 3.1, 4.1, 5.1, 1.0): True,\n"
                + "             (1.1, 2.2, 3.1, 4.1, 5.1, 0.5): False}\n"
                + "    return table.get(tuple(numbers) + (threshold,), None)\n";
        HttpCalls.Response response =
                new HttpCalls(port, json).post("/api/executions", new ExecutionRequest(lookup, tests(first), null));

        ExecutionResult result = json.treeToValue(response.body(), ExecutionResult.class);
        assertThat(result.passedBase()).as(result.feedback()).isTrue();
        assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(result.feedback()).startsWith("Plus input 1 of ");
    }

    private static String program(JsonNode problem) {
        return problem.get("prompt").asString()
                + problem.get("canonical_solution").asString();
    }

    private TestSuite tests(JsonNode problem) {
        return TestSuite.inputs(
                new InputTests(
                        InputTests.Dataset.HUMANEVAL,
                        problem.get("task_id").asString(),
                        json.writeValueAsString(problem.get("base_input")),
                        json.writeValueAsString(problem.get("plus_input")),
                        problem.get("atol").asDouble()),
                problem.get("entry_point").asString(),
                program(problem));
    }

    private List<JsonNode> problems() throws IOException {
        return DatasetFiles.problems(humanEvalPlusPath(), json);
    }

    static Path humanEvalPlusPath() {
        String location = System.getenv("EVALFLEET_HUMANEVALPLUS");
        Assumptions.assumeTrue(
                location != null && !location.isBlank(),
                "HumanEval+ tests skipped: set EVALFLEET_HUMANEVALPLUS to EvalPlus's HumanEvalPlus.jsonl.gz");
        Path path = Path.of(location);
        Assumptions.assumeTrue(Files.isRegularFile(path), "HumanEval+ tests skipped: " + path + " does not exist");
        return path;
    }
}
