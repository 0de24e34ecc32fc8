package dev.evalfleet.worker.repair;

import static org.assertj.core.api.Assertions.assertThat;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.TestSuite;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code visible} feedback over the real HumanEval: it is built only from the prompt, and what a
 * failing program is told never quotes the hidden {@code check}. Needs the dataset
 * ({@code -Devalfleet.humaneval=…} or {@code EVALFLEET_HUMANEVAL}) and python3.
 */
class HumanEvalVisibleFeedbackTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Runs each failing program against its visible asserts as the scoring service does (program
     * first, then each assert; the first failure is reported with its traceback) and prints, per
     * problem, the feedback text. Python's own doctest parser counts the literal examples, as an
     * independent check of the Java extraction.
     */
    private static final String DRIVER = """
            import ast, doctest, json, sys, traceback
            cases = json.load(open(sys.argv[1]))
            out = {}
            for task_id, prompt, entry_point, program, asserts in cases:
                func = next(n for n in ast.walk(ast.parse(prompt)) if isinstance(n, ast.FunctionDef) and n.name == entry_point)
                count = 0
                # the docstring as written (escapes unexpanded, as the prompt shows it), each example parsed on its own
                raw = ast.get_source_segment(prompt, func.body[0]) if func.body and isinstance(func.body[0], ast.Expr) else ""
                lines = raw.strip().strip(chr(34) + chr(39)).split("\\n")
                examples = []
                for i, line in enumerate(lines):
                    if line.strip().startswith(">>>"):
                        chunk = [line.strip()]
                        for following in lines[i + 1:]:
                            if not following.strip() or following.strip().startswith(">>>"):
                                break
                            chunk.append(following.strip())
                        try:
                            examples += doctest.DocTestParser().get_examples("\\n".join(chunk) + "\\n")
                        except ValueError:
                            pass
                for ex in examples:
                    if "\\n" in ex.source.strip() or ex.want.count("\\n") != 1 or entry_point + "(" not in ex.source.replace(" (", "("):
                        continue
                    try:
                        ast.literal_eval(ex.want.strip())
                        count += 1
                    except Exception:
                        pass
                feedback = ""
                scope = {}
                try:
                    exec(compile(program, "<program>", "exec"), scope)
                    for i, a in enumerate(asserts):
                        try:
                            exec(compile(a, "<test %d>" % (i + 1), "exec"), scope)
                        except BaseException:
                            feedback = "Test %d of %d failed: %s\\n%s" % (i + 1, len(asserts), a, traceback.format_exc())
                            break
                except BaseException:
                    feedback = "The program raised an error before the tests ran:\\n" + traceback.format_exc()
                out[task_id] = [count, feedback]
            print(json.dumps(out))
            """;

    private static List<JsonNode> problems;

    @BeforeAll
    static void readHumanEval() throws IOException {
        Path dataset = dataset().orElse(null);
        Assumptions.assumeTrue(dataset != null, "HumanEval dataset not configured");
        try (var reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(dataset)), StandardCharsets.UTF_8))) {
            problems = reader.lines()
                    .filter(line -> !line.isBlank())
                    .map(JSON::readTree)
                    .toList();
        }
        assertThat(problems).hasSize(164);
    }

    @Test
    void everyVisibleAssertComesFromThePromptText() {
        int withExamples = 0;
        for (JsonNode problem : problems) {
            String prompt = text(problem, "prompt");
            List<String> asserts = VisibleTests.asserts(payload(problem));
            for (String visible : asserts) {
                assertThat(visible).startsWith("assert ");
                String[] sides = visible.substring("assert ".length()).split(" == ", -1);
                String expected = sides[sides.length - 1];
                String expression = visible.substring("assert ".length(), visible.length() - expected.length() - 4);
                assertThat(prompt)
                        .as("%s: %s", text(problem, "task_id"), visible)
                        .contains(">>> " + expression)
                        .contains(expected);
            }
            TestSuite suite = VisibleTests.suite(payload(problem));
            assertThat(suite.checkProgram()).isNull();
            assertThat(suite.setup()).isEmpty();
            withExamples += asserts.isEmpty() ? 0 : 1;
        }
        // the share of problems whose statement shows doctests we can use
        assertThat(withExamples).isBetween(60, 164);
    }

    @Test
    void feedbackOnAFailingProgramNeverQuotesTheHiddenTests() throws Exception {
        List<List<Object>> cases = new ArrayList<>();
        Map<String, List<String>> assertsByTask = new LinkedHashMap<>();
        for (JsonNode problem : problems) {
            String program = text(problem, "prompt") + "    raise ValueError('wrong on purpose')\n";
            List<String> asserts = VisibleTests.suite(payload(problem)).asserts();
            assertsByTask.put(text(problem, "task_id"), asserts);
            cases.add(List.of(
                    text(problem, "task_id"), text(problem, "prompt"), text(problem, "entry_point"), program, asserts));
        }
        JsonNode report = runPython(cases);
        for (JsonNode problem : problems) {
            String taskId = text(problem, "task_id");
            String prompt = text(problem, "prompt");
            JsonNode row = report.get(taskId);
            List<String> visible = VisibleTests.asserts(payload(problem));
            assertThat(visible)
                    .as("%s: doctests Java extracts vs Python's doctest parser", taskId)
                    .hasSize(row.get(0).asInt());

            String feedback = row.get(1).asString();
            String program = text(problem, "prompt") + "    raise ValueError('wrong on purpose')\n";
            String reprompt =
                    RepairPrompt.of(payload(problem), program, feedback).user();
            if (!visible.isEmpty()) {
                assertThat(feedback).as(taskId).contains("wrong on purpose");
            }
            for (String line : text(problem, "test").split("\\n")) {
                String hidden = line.strip();
                if (hidden.isEmpty() || prompt.contains(hidden)) {
                    continue;
                }
                assertThat(reprompt)
                        .as("%s re-prompt quotes hidden test line %s", taskId, hidden)
                        .doesNotContain(hidden);
            }
        }
    }

    private static JsonNode runPython(List<List<Object>> cases) throws Exception {
        Path casesFile = Files.createTempFile("visible-cases", ".json");
        Path script = Files.createTempFile("visible-driver", ".py");
        try {
            Files.writeString(casesFile, JSON.writeValueAsString(cases));
            Files.writeString(script, DRIVER);
            Process process;
            try {
                process = new ProcessBuilder("python3", script.toString(), casesFile.toString()).start();
            } catch (IOException notInstalled) {
                Assumptions.abort("python3 is not available");
                throw notInstalled;
            }
            byte[] stdout = process.getInputStream().readAllBytes();
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(stderr).isZero();
            return JSON.readTree(new String(stdout, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(casesFile);
            Files.deleteIfExists(script);
        }
    }

    private static ProblemPayload payload(JsonNode problem) {
        String entryPoint = text(problem, "entry_point");
        return new ProblemPayload(
                text(problem, "task_id"),
                ProblemFormat.HUMAN_EVAL,
                text(problem, "prompt"),
                entryPoint,
                TestSuite.humanEval(text(problem, "test"), entryPoint),
                text(problem, "canonical_solution"));
    }

    private static String text(JsonNode problem, String field) {
        return problem.get(field).asString();
    }

    private static Optional<Path> dataset() {
        return List.of(
                        String.valueOf(System.getProperty("evalfleet.humaneval")),
                        String.valueOf(System.getenv("EVALFLEET_HUMANEVAL")))
                .stream()
                .filter(value -> !value.isBlank() && !value.equals("null") && !value.startsWith("${"))
                .map(Path::of)
                .filter(Files::isRegularFile)
                .findFirst();
    }
}
