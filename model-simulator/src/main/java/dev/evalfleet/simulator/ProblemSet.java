package dev.evalfleet.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The problems the stand-in knows, loaded from HumanEval-format JSONL files (plain or gzip). */
final class ProblemSet {

    private static final List<String> REQUIRED_FIELDS =
            List.of("task_id", "prompt", "canonical_solution", "test", "entry_point");

    // Longest prompt first, so the first match is the most specific one.
    private final List<Problem> problems;

    private ProblemSet(List<Problem> problems) {
        this.problems = problems.stream()
                .sorted(Comparator.comparingInt(
                                (Problem p) -> p.prompt().strip().length())
                        .reversed())
                .toList();
    }

    static ProblemSet load(List<Path> files, ObjectMapper json) {
        List<Problem> problems = new ArrayList<>();
        for (Path file : files) {
            problems.addAll(read(file, json));
        }
        return new ProblemSet(problems);
    }

    int size() {
        return problems.size();
    }

    /**
     * The problem whose prompt occurs in the message, the longest if several do. Prompts are
     * compared without surrounding whitespace because clients often strip what they send.
     */
    Optional<Problem> findIn(String message) {
        return problems.stream()
                .filter(problem -> message.contains(problem.prompt().strip()))
                .findFirst();
    }

    private static List<Problem> read(Path file, ObjectMapper json) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            List<Problem> problems = new ArrayList<>();
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (!line.isBlank()) {
                    problems.add(parse(line, file, lineNumber, json));
                }
            }
            return problems;
        } catch (IOException e) {
            throw InvalidDatasetException.unreadable(file, e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    private static Problem parse(String line, Path file, int lineNumber, ObjectMapper json) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (JacksonException e) {
            throw InvalidDatasetException.atLine(file, lineNumber, "not JSON: " + e.getOriginalMessage(), e);
        }
        for (String field : REQUIRED_FIELDS) {
            if (!node.path(field).isString()) {
                throw InvalidDatasetException.atLine(file, lineNumber, "missing string field '" + field + "'", null);
            }
        }
        if (node.path("prompt").stringValue().isBlank()) {
            // a blank prompt would occur in every message
            throw InvalidDatasetException.atLine(file, lineNumber, "blank 'prompt'", null);
        }
        return new Problem(
                node.path("task_id").stringValue(),
                node.path("prompt").stringValue(),
                node.path("canonical_solution").stringValue(),
                node.path("test").stringValue(),
                node.path("entry_point").stringValue());
    }
}
