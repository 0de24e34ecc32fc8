package dev.evalfleet.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ModelSimulatorTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String EVALPLUS_HUMANEVAL_LINE = """
            {"task_id": "HumanEval/900", "prompt": "def inc(x: int) -> int:\\n    \\"\\"\\"Add one.\\"\\"\\"\\n", "entry_point": "inc", "canonical_solution": "    return x + 1\\n", "test": "def check(candidate):\\n    assert candidate(1) == 2\\n", "contract": "", "base_input": [[1]], "plus_input": [[-1]], "atol": 0}""";

    private static final String EVALPLUS_MBPP_LINE = """
            {"task_id": "Mbpp/902", "prompt": "\\"\\"\\"\\nWrite a function to compute the area of a circle of radius r.\\nassert circle_area(0) == 0\\n\\"\\"\\"\\n", "entry_point": "circle_area", "canonical_solution": "import math\\n\\ndef circle_area(r):\\n    return math.pi * r * r\\n", "base_input": [[1]], "plus_input": [], "atol": 1e-06, "contract": "", "assertion": "assert circle_area(0) == 0"}""";

    private static final String MBPP_ORIGIN_FMT_LINE = """
            {"task_id": 901, "code": "def sum_of_squares(xs):\\n    return sum(x * x for x in xs)", "prompt": "Write a function to return the sum of the squares of a list of integers.", "source_file": "made up", "test_imports": [], "test_list": ["assert sum_of_squares([1, 2, 3]) == 14"], "test": "inputs = [[[1]]]\\nfor inp in inputs:\\n    assert sum_of_squares(*inp) == 1\\n"}""";

    @TempDir
    Path dir;

    private Path dataset;
    private final List<ModelSimulator> started = new ArrayList<>();

    @BeforeEach
    void writeDataset() throws IOException {
        dataset = TinyDataset.write(dir);
    }

    @AfterEach
    void stopSimulators() {
        started.forEach(ModelSimulator::close);
    }

    @Test
    void ollamaChatAnswersWithTheShapeOllamaClientsRead() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));

        Reply reply = post(simulator, "/api/chat", ollamaChat(TinyDataset.SHOUT.prompt(), "false"));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.body();
        assertThat(body.path("model").asString()).isEqualTo("some-model");
        assertThat(body.path("created_at").asString()).isNotBlank();
        assertThat(body.path("message").path("role").asString()).isEqualTo("assistant");
        assertThat(body.path("message").path("content").asString()).contains("return text.upper() + '!'");
        assertThat(body.path("done").asBoolean()).isTrue();
        assertThat(body.path("done_reason").asString()).isEqualTo("stop");
        assertThat(body.path("prompt_eval_count").asInt()).isPositive();
        assertThat(body.path("eval_count").asInt()).isPositive();
        assertThat(body.path("total_duration").isNumber()).isTrue();
    }

    @Test
    void ollamaChatWithoutStreamFlagIsAnsweredWhole() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));

        Reply reply = post(simulator, "/api/chat", ollamaChat(TinyDataset.SHOUT.prompt(), null));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("done").asBoolean()).isTrue();
    }

    @Test
    void streamingChatIsRefusedWithBadRequest() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));

        Reply reply = post(simulator, "/api/chat", ollamaChat(TinyDataset.SHOUT.prompt(), "true"));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().path("error").asString()).contains("stream");
    }

    @Test
    void openAiChatCompletionAnswersWithTheOpenAiShape() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));

        Reply reply = post(simulator, "/v1/chat/completions", openAiChat(TinyDataset.SHOUT.prompt()));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.body();
        assertThat(body.path("id").asString()).startsWith("chatcmpl-");
        assertThat(body.path("object").asString()).isEqualTo("chat.completion");
        assertThat(body.path("created").isNumber()).isTrue();
        assertThat(body.path("model").asString()).isEqualTo("some-model");
        JsonNode choice = body.path("choices").path(0);
        assertThat(choice.path("index").asInt()).isZero();
        assertThat(choice.path("message").path("role").asString()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asString()).contains("return text.upper() + '!'");
        assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
        JsonNode usage = body.path("usage");
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("prompt_tokens").asInt()
                        + usage.path("completion_tokens").asInt())
                .isPositive();
    }

    @Test
    void modelListsNameTheConfiguredModel() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset).withModelName("stand-in:1"));

        Reply tags = get(simulator, "/api/tags");
        Reply models = get(simulator, "/v1/models");
        Reply version = get(simulator, "/api/version");

        assertThat(tags.body().path("models").path(0).path("name").asString()).isEqualTo("stand-in:1");
        assertThat(models.body().path("object").asString()).isEqualTo("list");
        assertThat(models.body().path("data").path(0).path("id").asString()).isEqualTo("stand-in:1");
        assertThat(version.body().path("version").asString()).isNotBlank();
    }

    @Test
    void modelAndServerDescriptionsSayTheyComeFromTheSimulator() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset).withModelName("stand-in:1"));

        Reply show = post(simulator, "/api/show", "{\"model\": \"stand-in:1\"}");
        Reply tags = get(simulator, "/api/tags");
        Reply ollamaVersion = get(simulator, "/api/version");
        Reply vllmVersion = get(simulator, "/version");
        Reply models = get(simulator, "/v1/models");

        assertThat(show.status()).isEqualTo(200);
        assertThat(show.body().path("details").path("family").asString()).isEqualTo("evalfleet-simulator");
        assertThat(tags.body().path("models").path(0).path("digest").asString()).hasSize(64);
        assertThat(ollamaVersion.body().path("version").asString()).contains("simulator");
        assertThat(vllmVersion.body().path("version").asString()).contains("simulator");
        assertThat(models.body().path("data").path(0).path("root").asString()).contains("simulator");
    }

    @Test
    void promptEmbeddedInInstructionsIsMatchedToItsProblem() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));
        String message = "Complete the following Python function.\n\n"
                + TinyDataset.SHOUT.prompt().strip() + "\n\nAnswer with code only.";

        String answer = ollamaAnswer(simulator, message);

        assertThat(answer).contains("def shout(").contains("return text.upper() + '!'");
    }

    @Test
    void longestMatchingPromptWins() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));

        String withImport = ollamaAnswer(simulator, TinyDataset.ADD_WITH_IMPORT.prompt());
        String plain = ollamaAnswer(simulator, TinyDataset.ADD.prompt());

        assertThat(withImport).contains("math.fsum");
        assertThat(plain).contains("return a + b").doesNotContain("math.fsum");
    }

    @Test
    void unknownProblemIsAnsweredWithIDoNotKnow() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));

        Reply reply = post(simulator, "/api/chat", ollamaChat("def fly_to_the_moon():\n", "false"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().path("message").path("content").asString()).contains("do not know");
    }

    @Test
    void referenceAnswersRotateThroughFencedFunctionFencedBodyAndBareFunction() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));
        String prompt = TinyDataset.SHOUT.prompt();
        String whole = prompt + TinyDataset.SHOUT.canonicalSolution();

        List<String> answers = List.of(
                ollamaAnswer(simulator, prompt), ollamaAnswer(simulator, prompt), ollamaAnswer(simulator, prompt));

        assertThat(answers.get(0)).doesNotStartWith("```").contains("```python\n" + whole + "```");
        assertThat(answers.get(1)).isEqualTo("```python\n" + TinyDataset.SHOUT.canonicalSolution() + "```\n");
        assertThat(answers.get(2)).isEqualTo(whole).doesNotContain("```");
    }

    @Test
    void mixedBehaviourAnswersCorrectlyExactlyExpectedCorrectOfTheSamples() throws Exception {
        int samples = 5;
        ModelSimulator simulator = start(SimulatorConfig.of(dataset).withBehaviour(new Behaviour.Mixed(samples)));

        for (Problem problem : TinyDataset.PROBLEMS) {
            List<Boolean> correct = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                correct.add(!ollamaAnswer(simulator, problem.prompt()).contains(Answers.WRONG_ANSWER_ERROR));
            }
            int expected = ModelSimulator.expectedCorrect(problem.taskId(), samples);
            // correct answers come first, then wrong ones
            assertThat(correct)
                    .as(problem.taskId())
                    .containsExactlyElementsOf(IntStream.range(0, samples)
                            .mapToObj(i -> i < expected)
                            .toList());
        }
        // the three problems cover none, some and all samples correct, so the test means something
        assertThat(TinyDataset.PROBLEMS)
                .extracting(p -> ModelSimulator.expectedCorrect(p.taskId(), samples))
                .containsExactly(0, 5, 4);
    }

    @Test
    void failureRateIsRoughlyAppliedAndRepeatsForTheSameSeed() throws Exception {
        SimulatorConfig config =
                SimulatorConfig.of(dataset).withFailureRate(0.3).withSeed(42);
        ModelSimulator first = start(config);
        ModelSimulator second = start(config);

        List<Integer> firstStatuses = chatStatuses(first, 200);
        List<Integer> secondStatuses = chatStatuses(second, 200);

        long failures = firstStatuses.stream().filter(status -> status == 500).count();
        assertThat(failures).isBetween(40L, 80L);
        assertThat(firstStatuses).containsOnly(200, 500).isEqualTo(secondStatuses);
        assertThat(first.stats().injectedFailures()).isEqualTo(failures);
    }

    @Test
    void injectedFailureHasTheErrorShapeOfItsApi() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset).withFailureRate(1.0));

        Reply ollama = post(simulator, "/api/chat", ollamaChat(TinyDataset.SHOUT.prompt(), "false"));
        Reply openAi = post(simulator, "/v1/chat/completions", openAiChat(TinyDataset.SHOUT.prompt()));

        assertThat(ollama.status()).isEqualTo(500);
        assertThat(ollama.body().path("error").asString()).contains("injected failure");
        assertThat(openAi.status()).isEqualTo(500);
        assertThat(openAi.body().path("error").path("message").asString()).contains("injected failure");
    }

    @Test
    void latencyDelaysEveryChat() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset).withLatency(Duration.ofMillis(150)));

        long started = System.nanoTime();
        ollamaAnswer(simulator, TinyDataset.SHOUT.prompt());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void unknownPathIsNotFoundJson() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));

        Reply ollamaStyle = get(simulator, "/api/nothing-here");
        Reply openAiStyle = get(simulator, "/v1/nothing-here");

        assertThat(ollamaStyle.status()).isEqualTo(404);
        assertThat(ollamaStyle.body().path("error").asString()).contains("/api/nothing-here");
        assertThat(openAiStyle.status()).isEqualTo(404);
        assertThat(openAiStyle.body().path("error").path("message").asString()).contains("/v1/nothing-here");
    }

    @Test
    void statsCountRequestsPerPathButNotThemselves() throws Exception {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));
        ollamaAnswer(simulator, TinyDataset.SHOUT.prompt());
        ollamaAnswer(simulator, TinyDataset.ADD.prompt());
        post(simulator, "/v1/chat/completions", openAiChat(TinyDataset.ADD.prompt()));
        get(simulator, "/nope");

        JsonNode stats = get(simulator, Endpoints.STATS_PATH).body();
        get(simulator, Endpoints.STATS_PATH);

        assertThat(stats.path("requests").path("/api/chat").asLong()).isEqualTo(2);
        assertThat(stats.path("requests").path("/v1/chat/completions").asLong()).isEqualTo(1);
        assertThat(stats.path("total").asLong()).isEqualTo(4);
        assertThat(simulator.requestCount("/api/chat")).isEqualTo(2);
        assertThat(simulator.requestCount("/nope")).isEqualTo(1);
        assertThat(simulator.requestCount()).isEqualTo(4);
    }

    @Test
    void gzipDatasetsAreReadLikePlainOnes() throws Exception {
        Path gzip = TinyDataset.writeGzip(Files.createDirectory(dir.resolve("gz")));
        ModelSimulator simulator = start(SimulatorConfig.of(gzip));

        assertThat(simulator.problemCount()).isEqualTo(3);
        assertThat(ollamaAnswer(simulator, TinyDataset.SHOUT.prompt())).contains("text.upper()");
    }

    @Test
    void answersEvalPlusAndMbppShapedProblemsWithTheirCanonicalSolutions() throws Exception {
        Path file = dir.resolve("shapes.jsonl");
        Files.writeString(file, String.join("\n", EVALPLUS_HUMANEVAL_LINE, EVALPLUS_MBPP_LINE, MBPP_ORIGIN_FMT_LINE));
        ModelSimulator simulator = start(SimulatorConfig.of(file));
        assertThat(simulator.problemCount()).isEqualTo(3);

        assertThat(ollamaAnswer(
                        simulator,
                        "Complete the following Python function `inc`:\n```python\ndef inc(x: int) -> int:\n"
                                + "    \"\"\"Add one.\"\"\"\n```"))
                .contains("def inc(x: int) -> int:\n    \"\"\"Add one.\"\"\"\n    return x + 1\n");
        assertThat(ollamaAnswer(
                        simulator,
                        "Write a function to compute the area of a circle of radius r.\n"
                                + "Your code should pass this test:\nassert circle_area(0) == 0\n"
                                + "Name the function `circle_area`."))
                .as("MBPP+'s canonical solution is the whole program")
                .contains("import math\n\ndef circle_area(r):\n    return math.pi * r * r\n")
                .doesNotContain("\"\"\"");
        assertThat(ollamaAnswer(
                        simulator,
                        "Write a function to return the sum of the squares of a list of integers.\n"
                                + "Your code should pass this test:\nassert sum_of_squares([1, 2, 3]) == 14"))
                .contains("def sum_of_squares(xs):\n    return sum(x * x for x in xs)");
    }

    @Test
    void wrongAnswersToMbppShapedProblemsDefineTheFunction() {
        Problem problem = new Problem("Mbpp/1", "Square it.", "def sq(x):\n    return x * x\n", null, "sq", true);

        assertThat(Answers.wrong(problem)).contains("def sq(*args, **kwargs):\n    raise ValueError(");
        assertThat(ProblemSet.descriptionOf("\"\"\"\nSquare it.\nassert sq(2) == 4\n\"\"\"\n"))
                .isEqualTo("Square it.");
    }

    @Test
    void brokenDatasetLineIsNamedInTheError() throws Exception {
        Path broken = dir.resolve("broken.jsonl");
        Files.writeString(broken, Files.readString(dataset) + "{\"task_id\": \"Tiny/9\"}\n");

        assertThatThrownBy(() -> ModelSimulator.start(SimulatorConfig.of(broken)))
                .isInstanceOf(InvalidDatasetException.class)
                .hasMessageContaining("broken.jsonl:4")
                .hasMessageContaining("prompt");
    }

    @Test
    void startingOnPortZeroPicksAFreePort() {
        ModelSimulator simulator = start(SimulatorConfig.of(dataset));

        assertThat(simulator.port()).isPositive();
        assertThat(simulator.baseUrl()).isEqualTo("http://localhost:" + simulator.port());
    }

    private ModelSimulator start(SimulatorConfig config) {
        ModelSimulator simulator = ModelSimulator.start(config);
        started.add(simulator);
        return simulator;
    }

    private List<Integer> chatStatuses(ModelSimulator simulator, int count) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            statuses.add(post(simulator, "/api/chat", ollamaChat(TinyDataset.SHOUT.prompt(), "false"))
                    .status());
        }
        return statuses;
    }

    private String ollamaAnswer(ModelSimulator simulator, String userMessage) throws Exception {
        Reply reply = post(simulator, "/api/chat", ollamaChat(userMessage, "false"));
        assertThat(reply.status()).isEqualTo(200);
        return reply.body().path("message").path("content").asString();
    }

    private static String ollamaChat(String userMessage, String stream) {
        var body = JSON.createObjectNode().put("model", "some-model");
        body.putArray("messages")
                .add(JSON.createObjectNode().put("role", "system").put("content", "You write Python."))
                .add(JSON.createObjectNode().put("role", "user").put("content", userMessage));
        if (stream != null) {
            body.put("stream", Boolean.parseBoolean(stream));
        }
        return body.toString();
    }

    private static String openAiChat(String userMessage) {
        var body = JSON.createObjectNode().put("model", "some-model").put("stream", false);
        body.putArray("messages")
                .add(JSON.createObjectNode().put("role", "user").put("content", userMessage));
        return body.toString();
    }

    private record Reply(int status, JsonNode body) {}

    private static Reply post(ModelSimulator simulator, String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    private static Reply get(ModelSimulator simulator, String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .GET()
                .build());
    }

    private static Reply send(HttpRequest request) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return new Reply(response.statusCode(), JSON.readTree(response.body()));
    }
}
