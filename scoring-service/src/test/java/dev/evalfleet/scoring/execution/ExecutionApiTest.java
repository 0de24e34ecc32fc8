package dev.evalfleet.scoring.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HTTP API of a running service, with real python3 runs behind it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExecutionApiTest {

    static final TestSuite SQUARE_TESTS =
            TestSuite.asserts("", List.of("assert square(2) == 4", "assert square(-3) == 9"), "square");
    static final String SQUARE = "def square(x):\n    return x * x\n";

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private HttpCalls http() {
        return new HttpCalls(port, json);
    }

    @Test
    void runsOneRequest() {
        HttpCalls.Response response = http().post("/api/executions", new ExecutionRequest(SQUARE, SQUARE_TESTS, 5.0));

        assertThat(response.status()).isEqualTo(200);
        ExecutionResult result = json.treeToValue(response.body(), ExecutionResult.class);
        assertThat(result.verdict()).isEqualTo(Verdict.PASSED);
        assertThat(result.testsPassed()).isEqualTo(2);
        assertThat(result.sandbox()).isEqualTo("bubblewrap");
    }

    @Test
    void batchReturnsResultsInTheOrderOfTheRequests() {
        List<ExecutionRequest> batch = List.of(
                new ExecutionRequest("import time\ntime.sleep(0.5)\n" + SQUARE, SQUARE_TESTS, null),
                new ExecutionRequest("def square(x):\n    return x + x\n", SQUARE_TESTS, null),
                new ExecutionRequest("def square(x):\n    while True:\n        pass\n", SQUARE_TESTS, 1.0),
                new ExecutionRequest("def square(x) return x\n", SQUARE_TESTS, null),
                new ExecutionRequest(SQUARE, TestSuite.asserts("", List.of("assert square(1) == 1"), "square"), null));

        HttpCalls.Response response = http().post("/api/executions/batch", batch);

        assertThat(response.status()).isEqualTo(200);
        List<ExecutionResult> results = new ArrayList<>();
        response.body().forEach(node -> results.add(json.treeToValue(node, ExecutionResult.class)));
        assertThat(results)
                .extracting(ExecutionResult::verdict)
                .containsExactly(Verdict.PASSED, Verdict.FAILED, Verdict.TIMED_OUT, Verdict.FAILED, Verdict.PASSED);
        assertThat(results).extracting(ExecutionResult::testsTotal).containsExactly(2, 2, 2, 2, 1);
        assertThat(results.get(1).testsPassed()).isEqualTo(1);
    }

    static Stream<Arguments> invalidRequests() {
        String huge = "x = 1\n".repeat(50_000);
        return Stream.of(
                Arguments.of("/api/executions", new ExecutionRequest(null, SQUARE_TESTS, null), "program"),
                Arguments.of("/api/executions", new ExecutionRequest("  ", SQUARE_TESTS, null), "program"),
                Arguments.of("/api/executions", new ExecutionRequest(huge, SQUARE_TESTS, null), "program"),
                Arguments.of("/api/executions", new ExecutionRequest(SQUARE, null, null), "tests"),
                Arguments.of(
                        "/api/executions",
                        new ExecutionRequest(SQUARE, TestSuite.asserts("", List.of(), "square"), null),
                        "tests"),
                Arguments.of(
                        "/api/executions",
                        new ExecutionRequest(
                                SQUARE, TestSuite.humanEval("def check(c):\n    assert c(1) == 1\n", "1x"), null),
                        "tests.entryPoint"),
                Arguments.of("/api/executions", new ExecutionRequest(SQUARE, SQUARE_TESTS, 0.0), "timeoutSeconds"),
                Arguments.of("/api/executions", new ExecutionRequest(SQUARE, SQUARE_TESTS, -1.0), "timeoutSeconds"),
                Arguments.of("/api/executions", new ExecutionRequest(SQUARE, SQUARE_TESTS, 61.0), "timeoutSeconds"),
                Arguments.of(
                        "/api/executions/batch",
                        List.of(
                                new ExecutionRequest(SQUARE, SQUARE_TESTS, null),
                                new ExecutionRequest("", SQUARE_TESTS, null)),
                        "[1].program"),
                Arguments.of(
                        "/api/executions/batch",
                        Collections.nCopies(201, new ExecutionRequest(SQUARE, SQUARE_TESTS, null)),
                        "batch"));
    }

    @ParameterizedTest
    @MethodSource("invalidRequests")
    void invalidRequestIsAProblemDetailNamingTheField(String path, Object body, String field) {
        HttpCalls.Response response = http().post(path, body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().get("title").asString()).isEqualTo("Invalid execution request");
        assertThat(response.body().get("detail").asString()).startsWith(field + ": ");
        assertThat(response.body().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    /** The fork server compiles a program before it forks the run: what the compiler says still ends up in the run. */
    @Test
    void compilerMessagesReachTheRunAsIfItHadCompiledTheProgramItself() {
        String warns = "x = 1\nif x is 1:\n    pass\nimport os\nos._exit(0)\n" + SQUARE;
        String mbppSetupWarns = "y = 2\nassert (y, 'always true')\n";
        List<ExecutionRequest> batch = List.of(
                new ExecutionRequest(warns, SQUARE_TESTS, null),
                new ExecutionRequest(SQUARE, TestSuite.asserts(mbppSetupWarns, SQUARE_TESTS.asserts(), "square"), null),
                new ExecutionRequest("def square(x):\n    return x *\n", SQUARE_TESTS, null),
                new ExecutionRequest("def square(x):\n    return x\0\n", SQUARE_TESTS, null));

        HttpCalls.Response response = http().post("/api/executions/batch", batch);

        assertThat(response.status()).isEqualTo(200);
        List<ExecutionResult> results = new ArrayList<>();
        response.body().forEach(node -> results.add(json.treeToValue(node, ExecutionResult.class)));
        // Ends the process before the tests: an error whose feedback shows the output, the warning first.
        assertThat(results.get(0).verdict()).isEqualTo(Verdict.ERROR);
        assertThat(results.get(0).feedback()).contains("<program>:2: SyntaxWarning: \"is\" with a literal");
        assertThat(results.get(1).verdict()).as("%s", results.get(1)).isEqualTo(Verdict.PASSED);
        assertThat(results.get(2).verdict()).isEqualTo(Verdict.FAILED);
        assertThat(results.get(2).feedback()).contains("SyntaxError", "line 2");
        assertThat(results.get(3).verdict()).isEqualTo(Verdict.FAILED);
        assertThat(results.get(3).feedback()).contains("null bytes");
    }

    /** Each run is a fork of one warm interpreter; like a fresh process, it must not share its random state. */
    @Test
    void everyRunDrawsItsOwnRandomNumbers() {
        List<String> drawn = actualValuesOf("import random\nDRAWN = random.getrandbits(64)\n", "assert DRAWN == -1", 6);

        assertThat(drawn).doesNotHaveDuplicates();
    }

    /** pin-cpus (on by default): each fork server keeps its runs on a CPU of its own. */
    @Test
    void runsOfEachForkServerStayOnACpuOfTheirOwn() throws Exception {
        int allowed = allowedCpus();
        Assumptions.assumeTrue(
                allowed <= Runtime.getRuntime().availableProcessors(),
                "the service has a share of more CPUs than it may use (a CPU quota): it does not pin");

        List<String> cpus = actualValuesOf(
                "import os, time\ntime.sleep(0.2)\nCPUS = sorted(os.sched_getaffinity(0))\n", "assert CPUS == []", 8);

        assertThat(cpus).allSatisfy(cpu -> assertThat(cpu).matches("\\[\\d+\\]"));
        // as many fork servers as cores by default, all busy with this batch: one CPU each
        assertThat(Set.copyOf(cpus)).hasSize(allowed);
    }

    /** Runs copies of a program in one batch; its one test fails and shows what the program saw. */
    private List<String> actualValuesOf(String program, String failingAssert, int copies) {
        ExecutionRequest request =
                new ExecutionRequest(program, TestSuite.asserts("", List.of(failingAssert), null), null);

        HttpCalls.Response response = http().post("/api/executions/batch", Collections.nCopies(copies, request));

        assertThat(response.status()).isEqualTo(200);
        List<String> actual = new ArrayList<>();
        response.body().forEach(node -> {
            String feedback = node.get("feedback").asString();
            assertThat(feedback).contains("actual:");
            actual.add(feedback.replaceAll("(?s).*actual: +", "").strip());
        });
        return actual;
    }

    private static int allowedCpus() throws IOException {
        String list = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Cpus_allowed_list:"))
                .findFirst()
                .orElseThrow()
                .split(":")[1]
                .strip();
        int count = 0;
        for (String range : list.split(",")) {
            String[] ends = range.split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
    }

    @Test
    void malformedJsonIsAProblemDetail() {
        HttpCalls.Response response = http().postRaw("/api/executions", "{\"program\": ");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void openApiDescribesBothEndpointsWithExamples() {
        HttpCalls.Response response = http().get("/v3/api-docs");

        assertThat(response.status()).isEqualTo(200);
        JsonNode paths = response.body().get("paths");
        assertThat(paths.has("/api/executions")).isTrue();
        assertThat(paths.has("/api/executions/batch")).isTrue();
        assertThat(paths.get("/api/executions").toString()).contains("HumanEval", "def check(candidate)");
    }

    @Test
    void healthProbesReportPythonAndMetricsCountExecutionsByVerdict() {
        http().post("/api/executions", new ExecutionRequest(SQUARE, SQUARE_TESTS, null));

        JsonNode health = http().get("/actuator/health").body();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components")
                        .get("python")
                        .get("details")
                        .get("version")
                        .asString())
                .startsWith("3.");
        assertThat(http().get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http().get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http().get("/actuator/info").status()).isEqualTo(200);
        HttpCalls.Response prometheus = http().getText("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.text()).contains("evalfleet_scoring_executions_seconds_count{", "verdict=\"PASSED\"");
    }

    @Test
    void infoTellsTheSandboxModeAndThePythonVersionThatRunsPrograms() {
        JsonNode sandbox = http().get("/actuator/info").body().get("sandbox");

        assertThat(sandbox.get("mode").asString()).isIn("bubblewrap", "unsandboxed");
        assertThat(sandbox.get("python").asString()).startsWith("3.");
    }
}
