package dev.evalfleet.scoring.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.InputTests;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.scoring.ScoringProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * On HumanEval+ (EvalPlus's own file), the service's base and plus verdicts must equal EvalPlus's for
 * every sample: the canonical solutions and the mutants of {@code humanevalplus_mutants.py} (programs
 * hard-coded to the base inputs, boundary and type slips, float results near the tolerance, numpy
 * users, programs that raise, mutate their input or never finish). EvalPlus's side is {@code
 * evalplus_reimplementation.py}, a reimplementation of its evaluator checked against the real one at
 * development time (docs/benchmarks.md, "HumanEval+ parity"). Pass or not is compared: EvalPlus calls
 * a time-out within an input a failure, evalfleet TIMED_OUT.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "evalfleet.scoring.calibration.input-floor=" + HumanEvalPlusParityTest.INPUT_FLOOR_SECONDS + "s",
            "evalfleet.scoring.calibration.part-cap=" + HumanEvalPlusParityTest.PART_CAP_SECONDS + "s"
        })
class HumanEvalPlusParityTest {

    // EvalPlus's rule with a shorter floor and cap on both sides, so the programs that never finish cost
    // seconds, not minutes; the rule itself is the same. The cap stays well above what the slowest
    // canonical part needs (HumanEval/15's plus inputs, about 10 s of wall clock in the reimplementation
    // on a loaded 2-core machine)
    static final int INPUT_FLOOR_SECONDS = 1;
    static final int PART_CAP_SECONDS = 30;

    private static final Duration PYTHON_LIMIT = Duration.ofMinutes(15);
    private static final int BATCH_SIZE = 100;

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    ScoringProperties properties;

    @TempDir
    Path work;

    @Test
    void baseAndPlusVerdictsEqualEvalPlussOnMutants() throws Exception {
        Path dataset = HumanEvalPlusConformanceTest.humanEvalPlusPath();
        Map<String, JsonNode> problems = DatasetFiles.byTaskId(dataset, json);
        Path samples = work.resolve("samples.jsonl");
        Path results = work.resolve("results.jsonl");
        PythonScripts python = new PythonScripts(properties.python().executable(), work);
        python.run(
                List.of(python.script("humanevalplus_mutants.py").toString(), dataset.toString(), samples.toString()),
                Map.of(),
                PYTHON_LIMIT);
        long started = System.nanoTime();
        python.run(
                List.of(
                        python.script("evalplus_reimplementation.py").toString(),
                        dataset.toString(),
                        samples.toString(),
                        results.toString(),
                        "--parallel",
                        String.valueOf(properties.execution().parallelism()),
                        "--min-time-limit",
                        String.valueOf(INPUT_FLOOR_SECONDS)),
                Map.of("EVALPLUS_TIMEOUT_PER_TASK", String.valueOf(PART_CAP_SECONDS)),
                PYTHON_LIMIT);
        long evalPlusMillis = (System.nanoTime() - started) / 1_000_000;
        List<JsonNode> sampleLines = lines(samples);
        List<JsonNode> theirs = lines(results);
        assertThat(theirs).hasSameSizeAs(sampleLines);

        started = System.nanoTime();
        List<ExecutionResult> ours = service(sampleLines, problems);
        long serviceMillis = (System.nanoTime() - started) / 1_000_000;

        Map<String, int[]> compared = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < sampleLines.size(); i++) {
            JsonNode reference = theirs.get(i);
            boolean base = reference.get("base_status").asString().equals("pass");
            boolean plus = base && reference.get("plus_status").asString().equals("pass");
            ExecutionResult result = ours.get(i);
            String kind = sampleLines.get(i).path("kind").asString("sample");
            compared.computeIfAbsent(kind + (plus ? " pass" : base ? " base-only" : " fail"), k -> new int[1])[0]++;
            if (base != Boolean.TRUE.equals(result.passedBase()) || plus != (result.verdict() == Verdict.PASSED)) {
                mismatches.add("%s %s: EvalPlus base %s plus %s, evalfleet %s base %s: %s"
                        .formatted(
                                sampleLines.get(i).get("task_id").asString(),
                                kind,
                                reference.get("base_status").asString(),
                                reference.get("plus_status").asString(),
                                result.verdict(),
                                result.passedBase(),
                                result.feedback().lines().findFirst().orElse("")));
            }
        }
        System.out.printf(
                "HumanEval+ parity: %d samples %s; EvalPlus reimplementation %d ms, evalfleet %d ms; %d mismatches %s%n",
                sampleLines.size(),
                compared.keySet().stream()
                        .map(key -> key + " " + compared.get(key)[0])
                        .toList(),
                evalPlusMillis,
                serviceMillis,
                mismatches.size(),
                mismatches);
        assertThat(mismatches).isEmpty();
        assertThat(sampleLines).hasSizeGreaterThan(400);
    }

    private List<ExecutionResult> service(List<JsonNode> samples, Map<String, JsonNode> problems) {
        HttpCalls http = new HttpCalls(port, json);
        List<ExecutionResult> results = new ArrayList<>();
        for (int from = 0; from < samples.size(); from += BATCH_SIZE) {
            List<ExecutionRequest> batch = samples.subList(from, Math.min(samples.size(), from + BATCH_SIZE)).stream()
                    .map(sample ->
                            request(sample, problems.get(sample.get("task_id").asString())))
                    .toList();
            HttpCalls.Response response = http.post("/api/executions/batch", batch);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            response.body().forEach(node -> results.add(json.treeToValue(node, ExecutionResult.class)));
        }
        return results;
    }

    private ExecutionRequest request(JsonNode sample, JsonNode problem) {
        String prompt = problem.get("prompt").asString();
        String program = sample.has("solution")
                ? sample.get("solution").asString()
                : prompt + sample.get("completion").asString();
        TestSuite tests = TestSuite.inputs(
                new InputTests(
                        InputTests.Dataset.HUMANEVAL,
                        problem.get("task_id").asString(),
                        json.writeValueAsString(problem.get("base_input")),
                        json.writeValueAsString(problem.get("plus_input")),
                        problem.get("atol").asDouble()),
                problem.get("entry_point").asString(),
                prompt + problem.get("canonical_solution").asString());
        return new ExecutionRequest(program, tests, null);
    }

    private List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                nodes.add(json.readTree(line));
            }
        }
        return nodes;
    }
}
