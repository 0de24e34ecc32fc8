package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.coordinator.upload.JsonRecords;
import dev.evalfleet.coordinator.upload.JsonRecords.JsonRecord;
import dev.evalfleet.coordinator.upload.LineErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads HumanEval and MBPP files (JSONL, or a JSON array of objects; plain or gzip) into evalfleet's
 * problem model. Rejects a file whole, naming the line and field of each error.
 */
class DatasetParser {

    private static final Set<String> HUMAN_EVAL_FIELDS = Set.of("canonical_solution", "entry_point", "test");
    private static final Set<String> MBPP_FIELDS = Set.of("test_list", "code");
    private static final Pattern FUNCTION_DEFINITION =
            Pattern.compile("^def\\s+([A-Za-z_]\\w*)\\s*\\(", Pattern.MULTILINE);

    private final JsonRecords reader;
    private final int maxReportedErrors;

    DatasetParser(JsonRecords reader, int maxReportedErrors) {
        this.reader = reader;
        this.maxReportedErrors = maxReportedErrors;
    }

    /** The problems of the file, with the format it was written in. */
    record Parsed(ProblemFormat format, List<ParsedProblem> problems) {}

    Parsed parse(byte[] upload) {
        LineErrors errors = new LineErrors();
        List<JsonRecord> records = reader.read(upload, errors);
        if (records.isEmpty() && errors.isEmpty()) {
            errors.add(null, null, "the file holds no problems");
        }
        ProblemFormat format = records.isEmpty() ? null : detectFormat(records.getFirst(), errors);
        List<ParsedProblem> problems = new ArrayList<>();
        Map<String, Integer> firstLineOfTaskId = new HashMap<>();
        if (format != null) {
            for (JsonRecord record : records) {
                ParsedProblem problem =
                        format == ProblemFormat.HUMAN_EVAL ? readHumanEval(record, errors) : readMbpp(record, errors);
                if (problem == null) {
                    continue;
                }
                Integer firstLine = firstLineOfTaskId.putIfAbsent(problem.taskId(), record.line());
                if (firstLine != null) {
                    errors.add(
                            record.line(),
                            "task_id",
                            "duplicate task_id '" + problem.taskId() + "' (first on line " + firstLine + ")");
                }
                problems.add(problem);
            }
        }
        errors.throwIfAny("dataset", maxReportedErrors);
        return new Parsed(format, problems);
    }

    private static ProblemFormat detectFormat(JsonRecord first, LineErrors errors) {
        Set<String> fields = new LinkedHashSet<>(first.node().propertyNames());
        if (fields.stream().anyMatch(HUMAN_EVAL_FIELDS::contains)) {
            return ProblemFormat.HUMAN_EVAL;
        }
        if (fields.stream().anyMatch(MBPP_FIELDS::contains)) {
            return ProblemFormat.MBPP;
        }
        errors.add(
                first.line(),
                null,
                "cannot tell the format: expected HumanEval fields (task_id, prompt, canonical_solution, test, entry_point)"
                        + " or MBPP fields (task_id, text or prompt, code, test_list)");
        return null;
    }

    private static ParsedProblem readHumanEval(JsonRecord record, LineErrors errors) {
        int before = errors.size();
        String taskId = requiredText(record, "task_id", errors);
        String prompt = requiredText(record, "prompt", errors);
        String solution = requiredText(record, "canonical_solution", errors);
        String test = requiredText(record, "test", errors);
        String entryPoint = requiredText(record, "entry_point", errors);
        if (test != null && !test.contains("def check(")) {
            errors.add(record.line(), "test", "must define check(candidate)");
        }
        if (errors.size() > before) {
            return null;
        }
        return new ParsedProblem(taskId, prompt, entryPoint, solution, TestSuite.humanEval(test, entryPoint));
    }

    private static ParsedProblem readMbpp(JsonRecord record, LineErrors errors) {
        int before = errors.size();
        String taskId = requiredText(record, "task_id", errors);
        String description = record.node().hasNonNull("text")
                ? requiredText(record, "text", errors)
                : requiredText(record, "prompt", errors);
        String code = requiredText(record, "code", errors);
        List<String> tests = textList(record, "test_list", true, errors);
        List<String> imports = textList(record, "test_imports", false, errors);
        String setupCode = optionalText(record, "test_setup_code", errors);
        if (tests != null && tests.isEmpty()) {
            errors.add(record.line(), "test_list", "must hold at least one test");
        }
        String entryPoint = code == null || tests == null || tests.isEmpty() ? null : entryPointOf(code, tests);
        if (code != null && entryPoint == null && errors.size() == before) {
            errors.add(record.line(), "code", "defines no function the tests call");
        }
        if (errors.size() > before) {
            return null;
        }
        String setup = String.join("\n", imports) + (setupCode.isBlank() ? "" : "\n" + setupCode);
        String prompt = description.strip() + "\nYour code should pass this test:\n" + tests.getFirst();
        return new ParsedProblem(taskId, prompt, entryPoint, code, TestSuite.asserts(setup.strip(), tests, entryPoint));
    }

    /** The function of the reference code that the tests call; the first one defined if none is named. */
    private static String entryPointOf(String code, List<String> tests) {
        Matcher definitions = FUNCTION_DEFINITION.matcher(code);
        String first = null;
        while (definitions.find()) {
            String name = definitions.group(1);
            first = first == null ? name : first;
            if (Pattern.compile("\\b" + name + "\\s*\\(")
                    .matcher(tests.getFirst())
                    .find()) {
                return name;
            }
        }
        return first;
    }

    private static String requiredText(JsonRecord record, String field, LineErrors errors) {
        JsonNode value = record.node().get(field);
        if (value == null || value.isNull()) {
            errors.add(record.line(), field, "is required");
            return null;
        }
        // MBPP's original file numbers its task_ids; they are ids all the same
        if (field.equals("task_id") && value.isIntegralNumber()) {
            return value.asString();
        }
        if (!value.isString()) {
            errors.add(record.line(), field, "must be a string");
            return null;
        }
        if (value.asString().isBlank() && !field.equals("canonical_solution")) {
            errors.add(record.line(), field, "must not be blank");
            return null;
        }
        return value.asString();
    }

    private static String optionalText(JsonRecord record, String field, LineErrors errors) {
        JsonNode value = record.node().get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isString()) {
            errors.add(record.line(), field, "must be a string");
            return "";
        }
        return value.asString();
    }

    private static List<String> textList(JsonRecord record, String field, boolean required, LineErrors errors) {
        JsonNode value = record.node().get(field);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(record.line(), field, "is required");
                return null;
            }
            return List.of();
        }
        if (!value.isArray() || value.valueStream().anyMatch(item -> !item.isString())) {
            errors.add(record.line(), field, "must be a list of strings");
            return null;
        }
        return value.valueStream().map(JsonNode::asString).toList();
    }
}
