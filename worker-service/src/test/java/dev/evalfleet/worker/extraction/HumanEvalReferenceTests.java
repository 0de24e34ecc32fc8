package dev.evalfleet.worker.extraction;

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
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every HumanEval reference solution, in the shapes models answer in, must pass its own tests after
 * extraction: the harness check behind the {@code reference} endpoint, over the whole dataset.
 * Needs the dataset ({@code -Devalfleet.humaneval=…} or {@code EVALFLEET_HUMANEVAL}) and python3.
 */
class HumanEvalReferenceTests {

    private static final String DRIVER = """
            import json, sys
            failed = []
            for name, source in json.load(open(sys.argv[1] if len(sys.argv) > 1 else %s)):
                try:
                    exec(compile(source, name, "exec"), {"__name__": "candidate"})
                except BaseException as error:
                    failed.append("%%s: %%s: %%s" %% (name, type(error).__name__, error))
            print("\\n".join(failed))
            sys.exit(1 if failed else 0)
            """;

    private final CompletionExtractor extractor = new CompletionExtractor();

    @Test
    void everyReferenceSolutionPassesInEveryAnswerShape() throws IOException {
        Path dataset = dataset().orElse(null);
        Assumptions.assumeTrue(dataset != null, "HumanEval dataset not configured");
        List<JsonNode> problems = read(dataset);
        List<Function<JsonNode, String>> shapes = List.of(
                problem -> text(problem, "canonical_solution"),
                problem -> "Here is the function:\n```python\n" + text(problem, "prompt")
                        + text(problem, "canonical_solution") + "```\nIt handles the edge cases.",
                problem -> "```python\n" + CompletionExtractor.dedent(text(problem, "canonical_solution")) + "```");
        List<List<String>> cases = new ArrayList<>();
        for (JsonNode problem : problems) {
            for (int shape = 0; shape < shapes.size(); shape++) {
                Completion completion =
                        extractor.extract(payload(problem), shapes.get(shape).apply(problem));
                String source = completion.program() + "\n" + text(problem, "test") + "\ncheck("
                        + text(problem, "entry_point") + ")\n";
                cases.add(List.of(text(problem, "task_id") + " shape " + shape, source));
            }
        }
        Path casesFile = Files.createTempFile("humaneval-cases", ".json");
        try {
            Files.writeString(casesFile, JsonMapper.builder().build().writeValueAsString(cases));
            Python.Run run = Python.run(DRIVER.formatted("'" + casesFile + "'"));
            assertThat(problems).hasSize(164);
            assertThat(run.output().strip()).as("failing problems").isEmpty();
            assertThat(run.exitCode()).isZero();
        } finally {
            Files.deleteIfExists(casesFile);
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

    private static List<JsonNode> read(Path dataset) throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        try (var reader = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(dataset)), StandardCharsets.UTF_8))) {
            return reader.lines()
                    .filter(line -> !line.isBlank())
                    .map(mapper::readTree)
                    .toList();
        }
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
