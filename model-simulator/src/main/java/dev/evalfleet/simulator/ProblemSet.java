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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The problems the stand-in knows, loaded from JSONL files (plain or gzip) of HumanEval, MBPP, and
 * EvalPlus's HumanEval+ and MBPP+ in either of their formats, each told from its fields.
 */
final class ProblemSet {

    private static final Pattern FUNCTION_DEFINITION =
            Pattern.compile("^def\\s+([A-Za-z_]\\w*)\\s*\\(", Pattern.MULTILINE);

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
        if (node.has("code") && node.has("test_list")) {
            return mbpp(node, file, lineNumber);
        }
        return node.has("base_input") && isMbppPlus(node)
                ? mbppPlus(node, file, lineNumber)
                : humanEval(node, file, lineNumber);
    }

    /** HumanEval, and EvalPlus's HumanEval+ in either format: the solution completes the prompt. */
    private static Problem humanEval(JsonNode node, Path file, int lineNumber) {
        requireStrings(node, file, lineNumber, "task_id", "prompt", "canonical_solution", "entry_point");
        String prompt = node.path("prompt").stringValue();
        requireNotBlank(prompt, "prompt", file, lineNumber);
        return new Problem(
                node.path("task_id").stringValue(),
                prompt,
                node.path("canonical_solution").stringValue(),
                node.path("test").isString() ? node.path("test").stringValue() : null,
                node.path("entry_point").stringValue());
    }

    private static boolean isMbppPlus(JsonNode node) {
        return node.path("task_id").asString("").startsWith("Mbpp/") || node.has("assertion");
    }

    /**
     * EvalPlus's MBPP+ in its own format: the worker shows the description its docstring prompt holds
     * (without the example assert), and the canonical solution is the whole program.
     */
    private static Problem mbppPlus(JsonNode node, Path file, int lineNumber) {
        requireStrings(node, file, lineNumber, "task_id", "prompt", "canonical_solution", "entry_point");
        String description = descriptionOf(node.path("prompt").stringValue());
        requireNotBlank(description, "prompt", file, lineNumber);
        return new Problem(
                node.path("task_id").stringValue(),
                description,
                node.path("canonical_solution").stringValue(),
                null,
                node.path("entry_point").stringValue(),
                true);
    }

    /** MBPP (original, sanitized) and MBPP+ in MBPP's shape: a description and the code. */
    private static Problem mbpp(JsonNode node, Path file, int lineNumber) {
        String descriptionField = node.has("text") ? "text" : "prompt";
        requireStrings(node, file, lineNumber, descriptionField, "code");
        if (!node.path("task_id").isString() && !node.path("task_id").isIntegralNumber()) {
            throw InvalidDatasetException.atLine(file, lineNumber, "missing field 'task_id'", null);
        }
        String description = node.path(descriptionField).stringValue().strip();
        requireNotBlank(description, descriptionField, file, lineNumber);
        String code = node.path("code").stringValue();
        String firstTest = node.path("test_list").path(0).asString("");
        return new Problem(
                node.path("task_id").asString(),
                description,
                code,
                node.path("test").isString() ? node.path("test").stringValue() : null,
                functionCalledBy(code, firstTest),
                true);
    }

    /** An MBPP+ docstring prompt's description: its text before the example assert. */
    static String descriptionOf(String docstring) {
        String text = docstring.strip();
        for (String quotes : List.of("\"\"\"", "'''")) {
            if (text.length() >= 6 && text.startsWith(quotes) && text.endsWith(quotes)) {
                text = text.substring(3, text.length() - 3);
            }
        }
        List<String> description = new ArrayList<>();
        for (String line : text.strip().lines().toList()) {
            if (line.stripLeading().startsWith("assert ")) {
                break;
            }
            description.add(line);
        }
        return String.join("\n", description).strip();
    }

    /** The function of {@code code} that {@code test} calls; the first one defined if none is. */
    private static String functionCalledBy(String code, String test) {
        Matcher definitions = FUNCTION_DEFINITION.matcher(code);
        String first = null;
        while (definitions.find()) {
            String name = definitions.group(1);
            first = first == null ? name : first;
            if (Pattern.compile("\\b" + name + "\\s*\\(").matcher(test).find()) {
                return name;
            }
        }
        return first == null ? "solution" : first;
    }

    private static void requireStrings(JsonNode node, Path file, int lineNumber, String... fields) {
        for (String field : fields) {
            if (!node.path(field).isString()) {
                throw InvalidDatasetException.atLine(file, lineNumber, "missing string field '" + field + "'", null);
            }
        }
    }

    private static void requireNotBlank(String value, String field, Path file, int lineNumber) {
        if (value.isBlank()) {
            // a blank prompt would occur in every message
            throw InvalidDatasetException.atLine(file, lineNumber, "blank '" + field + "'", null);
        }
    }
}
