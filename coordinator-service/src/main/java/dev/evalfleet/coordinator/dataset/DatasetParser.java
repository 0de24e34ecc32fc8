package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.TestSuite;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads HumanEval and MBPP files (JSONL, or a JSON array of objects; plain or gzip) into evalfleet's
 * problem model. Rejects a file whole, naming the line and field of each error.
 */
class DatasetParser {

    private static final Set<String> HUMAN_EVAL_FIELDS = Set.of("canonical_solution", "entry_point", "test");
    private static final Set<String> MBPP_FIELDS = Set.of("test_list", "code");
    private static final Pattern FUNCTION_DEFINITION = Pattern.compile("^def\\s+([A-Za-z_]\\w*)\\s*\\(", Pattern.MULTILINE);

    private final JsonMapper json;
    private final int maxReportedErrors;
    private final long maxDecompressedBytes;

    DatasetParser(JsonMapper json, int maxReportedErrors, long maxDecompressedBytes) {
        this.json = json;
        this.maxReportedErrors = maxReportedErrors;
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    /** The problems of the file, with the format it was written in. */
    record Parsed(ProblemFormat format, List<ParsedProblem> problems) {}

    private record Record(int line, JsonNode node) {}

    Parsed parse(byte[] upload) {
        String text = new String(decompress(upload), StandardCharsets.UTF_8);
        Errors errors = new Errors();
        List<Record> records = text.stripLeading().startsWith("[") ? readArray(text, errors) : readLines(text, errors);
        if (records.isEmpty() && errors.isEmpty()) {
            errors.add(null, null, "the file holds no problems");
        }
        ProblemFormat format = records.isEmpty() ? null : detectFormat(records.getFirst(), errors);
        List<ParsedProblem> problems = new ArrayList<>();
        Map<String, Integer> firstLineOfTaskId = new HashMap<>();
        if (format != null) {
            for (Record record : records) {
                ParsedProblem problem = format == ProblemFormat.HUMAN_EVAL
                        ? readHumanEval(record, errors)
                        : readMbpp(record, errors);
                if (problem == null) {
                    continue;
                }
                Integer firstLine = firstLineOfTaskId.putIfAbsent(problem.taskId(), record.line());
                if (firstLine != null) {
                    errors.add(record.line(), "task_id", "duplicate task_id '" + problem.taskId() + "' (first on line " + firstLine + ")");
                }
                problems.add(problem);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidDatasetException(errors.first(maxReportedErrors), errors.size());
        }
        return new Parsed(format, problems);
    }

    private byte[] decompress(byte[] upload) {
        boolean gzip = upload.length > 2 && (upload[0] & 0xff) == 0x1f && (upload[1] & 0xff) == 0x8b;
        if (!gzip) {
            return upload;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(upload))) {
            // read one byte past the limit so a gzip bomb is refused rather than inflated
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxDecompressedBytes + 1));
            if (bytes.length > maxDecompressedBytes) {
                throw new InvalidDatasetException(
                        List.of(new DatasetError(null, null, "decompressed file exceeds " + maxDecompressedBytes + " bytes")), 1);
            }
            return bytes;
        } catch (IOException e) {
            throw new InvalidDatasetException(List.of(new DatasetError(null, null, "not a valid gzip file: " + e.getMessage())), 1);
        }
    }

    private List<Record> readLines(String text, Errors errors) {
        List<Record> records = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                JsonNode node = json.readTree(lines[i]);
                if (node.isObject()) {
                    records.add(new Record(i + 1, node));
                } else {
                    errors.add(i + 1, null, "expected a JSON object");
                }
            } catch (JacksonException e) {
                errors.add(i + 1, null, "not valid JSON: " + e.getOriginalMessage());
            }
        }
        return records;
    }

    private List<Record> readArray(String text, Errors errors) {
        List<Record> records = new ArrayList<>();
        // the array is read item by item, so the rest of it is not "trailing" after one item
        ObjectReader arrayItems = json.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (JsonParser parser = json.createParser(text)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                int line = parser.currentTokenLocation().getLineNr();
                records.add(new Record(line, arrayItems.readValue(parser)));
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
                errors.add(parser.currentTokenLocation().getLineNr(), null, "expected a JSON object in the array");
            }
        } catch (JacksonException e) {
            Integer line = e.getLocation() == null ? null : e.getLocation().getLineNr();
            errors.add(line, null, "not valid JSON: " + e.getOriginalMessage());
        }
        return records;
    }

    private static ProblemFormat detectFormat(Record first, Errors errors) {
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

    private static ParsedProblem readHumanEval(Record record, Errors errors) {
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

    private static ParsedProblem readMbpp(Record record, Errors errors) {
        int before = errors.size();
        String taskId = requiredText(record, "task_id", errors);
        String description = record.node().hasNonNull("text") ? requiredText(record, "text", errors) : requiredText(record, "prompt", errors);
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
            if (Pattern.compile("\\b" + name + "\\s*\\(").matcher(tests.getFirst()).find()) {
                return name;
            }
        }
        return first;
    }

    private static String requiredText(Record record, String field, Errors errors) {
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

    private static String optionalText(Record record, String field, Errors errors) {
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

    private static List<String> textList(Record record, String field, boolean required, Errors errors) {
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

    private static final class Errors {
        private final List<DatasetError> all = new ArrayList<>();

        void add(Integer line, String field, String message) {
            all.add(new DatasetError(line, field, message));
        }

        boolean isEmpty() {
            return all.isEmpty();
        }

        int size() {
            return all.size();
        }

        List<DatasetError> first(int n) {
            return all.stream()
                    .sorted(Comparator.comparing(DatasetError::line, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .limit(n)
                    .toList();
        }
    }

}
