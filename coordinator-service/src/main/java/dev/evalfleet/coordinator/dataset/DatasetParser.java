package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.InputTests;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.coordinator.upload.JsonRecords;
import dev.evalfleet.coordinator.upload.JsonRecords.JsonRecord;
import dev.evalfleet.coordinator.upload.LineErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads dataset files (JSONL, or a JSON array of objects; plain or gzip) into evalfleet's problem
 * model: HumanEval, MBPP (original and sanitized), and EvalPlus's HumanEval+ and MBPP+ in their own
 * format and in the original datasets' shapes ({@link DatasetFileFormat}). The format is told from
 * the first record's fields. Rejects a file whole, naming the line and field of each error.
 */
class DatasetParser {

    private static final Pattern FUNCTION_DEFINITION =
            Pattern.compile("^def\\s+([A-Za-z_]\\w*)\\s*\\(", Pattern.MULTILINE);
    private static final String SHOWN_TEST = "\nYour code should pass this test:\n";
    private static final String CHALLENGE_TESTS_NOT_RUN =
            "evalfleet does not run MBPP's challenge tests, and would not leave them out silently";

    private final JsonRecords reader;
    private final int maxReportedErrors;

    DatasetParser(JsonRecords reader, int maxReportedErrors) {
        this.reader = reader;
        this.maxReportedErrors = maxReportedErrors;
    }

    /** The problems of the file, with the format it was written in. */
    record Parsed(DatasetFileFormat format, List<ParsedProblem> problems) {

        /** EvalPlus inputs over all problems (base and plus); 0 for tests of other kinds. */
        long testInputs() {
            return problems.stream().mapToLong(ParsedProblem::testInputs).sum();
        }
    }

    Parsed parse(byte[] upload) {
        LineErrors errors = new LineErrors();
        List<JsonRecord> records = reader.read(upload, errors);
        if (records.isEmpty() && errors.isEmpty()) {
            errors.add(null, null, "the file holds no problems");
        }
        DatasetFileFormat format = records.isEmpty() ? null : detectFormat(records.getFirst(), errors);
        List<ParsedProblem> problems = new ArrayList<>();
        Map<String, Integer> firstLineOfTaskId = new HashMap<>();
        if (format != null) {
            for (JsonRecord json : records) {
                DatasetRecord record = new DatasetRecord(json, reader, errors);
                record.refuseFieldsNotUnderstoodBy(format);
                ParsedProblem problem = read(format, record);
                if (problem == null || !record.isValid()) {
                    continue;
                }
                Integer firstLine = firstLineOfTaskId.putIfAbsent(problem.taskId(), record.line());
                if (firstLine != null) {
                    record.error(
                            "task_id",
                            "duplicate task_id '" + problem.taskId() + "' (first on line " + firstLine + ")");
                }
                problems.add(problem);
            }
        }
        errors.throwIfAny("dataset", maxReportedErrors);
        return new Parsed(format, problems);
    }

    private static ParsedProblem read(DatasetFileFormat format, DatasetRecord record) {
        return switch (format) {
            case HUMANEVAL -> readHumanEval(record);
            case MBPP, MBPP_SANITIZED -> readMbpp(record);
            case HUMANEVAL_PLUS -> readHumanEvalPlus(record);
            case MBPP_PLUS -> readMbppPlus(record);
            case MBPP_PLUS_ORIGIN_FMT -> readMbppPlusOriginFmt(record);
        };
    }

    /**
     * EvalPlus's own files have {@code base_input}; which of its datasets they hold, whose rules then
     * apply, shows in the task ids ({@code HumanEval/…}, {@code Mbpp/…}), else in MBPP+'s {@code
     * assertion}. MBPP's shapes have {@code code} and {@code test_list}, and MBPP+'s OriginFmt adds
     * {@code test} to them. A record with any other HumanEval field is HumanEval.
     */
    private static DatasetFileFormat detectFormat(JsonRecord first, LineErrors errors) {
        JsonNode node = first.node();
        if (node.has("base_input")) {
            String taskId = node.path("task_id").asString("");
            boolean mbpp = taskId.startsWith("Mbpp/") || !taskId.startsWith("HumanEval/") && node.has("assertion");
            return mbpp ? DatasetFileFormat.MBPP_PLUS : DatasetFileFormat.HUMANEVAL_PLUS;
        }
        if (node.has("code") && node.has("test_list")) {
            if (node.has("test")) {
                return DatasetFileFormat.MBPP_PLUS_ORIGIN_FMT;
            }
            return node.has("text") ? DatasetFileFormat.MBPP : DatasetFileFormat.MBPP_SANITIZED;
        }
        if (node.has("canonical_solution") || node.has("entry_point") || node.has("test")) {
            return DatasetFileFormat.HUMANEVAL;
        }
        errors.add(
                first.line(),
                null,
                "cannot tell the format: expected HumanEval fields (task_id, prompt, canonical_solution, test, entry_point),"
                        + " MBPP fields (task_id, text or prompt, code, test_list) or EvalPlus fields (task_id, prompt,"
                        + " entry_point, canonical_solution, base_input, plus_input, atol)");
        return null;
    }

    private static ParsedProblem readHumanEval(DatasetRecord record) {
        String taskId = record.taskId();
        String prompt = record.text("prompt");
        String solution = record.textMayBeBlank("canonical_solution");
        String test = record.text("test");
        String entryPoint = record.text("entry_point");
        if (test != null && !test.contains("def check(")) {
            record.error("test", "must define check(candidate)");
        }
        if (!record.isValid()) {
            return null;
        }
        TestSuite tests = TestSuite.humanEval(test, entryPoint).withReference(prompt + solution);
        return ParsedProblem.of(taskId, prompt, entryPoint, solution, tests);
    }

    private static ParsedProblem readMbpp(DatasetRecord record) {
        String taskId = record.taskId();
        String description = record.has("text") ? record.text("text") : record.text("prompt");
        String code = record.text("code");
        List<String> tests = nonEmptyTests(record);
        List<String> imports = record.textList("test_imports", false);
        String setupCode = record.optionalText("test_setup_code");
        record.requireEmptyIfPresent("challenge_test_list", CHALLENGE_TESTS_NOT_RUN);
        String entryPoint = entryPointOf(record, code, tests);
        if (!record.isValid()) {
            return null;
        }
        String setup = String.join("\n", imports) + (setupCode.isBlank() ? "" : "\n" + setupCode);
        TestSuite suite = TestSuite.asserts(setup.strip(), tests, entryPoint).withReference(code);
        return ParsedProblem.of(taskId, description.strip() + SHOWN_TEST + tests.getFirst(), entryPoint, code, suite);
    }

    /** Judged by its {@code test} script, one test that runs every input; shown like MBPP. */
    private static ParsedProblem readMbppPlusOriginFmt(DatasetRecord record) {
        String taskId = record.taskId();
        String description = record.text("prompt");
        String code = record.text("code");
        String test = record.text("test");
        List<String> shown = nonEmptyTests(record);
        List<String> imports = record.textList("test_imports", false);
        String entryPoint = entryPointOf(record, code, shown);
        if (!record.isValid()) {
            return null;
        }
        TestSuite suite = TestSuite.asserts(String.join("\n", imports).strip(), List.of(test), entryPoint)
                .withReference(code);
        return ParsedProblem.of(taskId, description.strip() + SHOWN_TEST + shown.getFirst(), entryPoint, code, suite);
    }

    private static ParsedProblem readHumanEvalPlus(DatasetRecord record) {
        EvalPlusProblem problem = readEvalPlus(record, InputTests.Dataset.HUMANEVAL);
        if (problem == null) {
            return null;
        }
        // `test` is HumanEval's own check, whose inputs are base_input: kept, never judged
        String originalTest = record.optionalText("test");
        return problem.parsed(problem.prompt(), originalTest.isBlank() ? null : originalTest);
    }

    private static ParsedProblem readMbppPlus(DatasetRecord record) {
        EvalPlusProblem problem = readEvalPlus(record, InputTests.Dataset.MBPP);
        String assertion = record.optionalText("assertion");
        if (problem == null || !record.isValid()) {
            return null;
        }
        return problem.parsed(mbppPlusPrompt(problem.prompt(), assertion), null);
    }

    /** A record of EvalPlus's own format, read up to what its two datasets share. */
    private record EvalPlusProblem(
            String taskId, String prompt, String entryPoint, String solution, InputTests inputs, int inputCount) {

        /** The problem as shown with {@code shownPrompt}; judged by the inputs on prompt + solution. */
        ParsedProblem parsed(String shownPrompt, String originalTest) {
            TestSuite tests = TestSuite.inputs(inputs, entryPoint, prompt + solution);
            return new ParsedProblem(taskId, shownPrompt, entryPoint, solution, tests, originalTest, inputCount);
        }
    }

    private static EvalPlusProblem readEvalPlus(DatasetRecord record, InputTests.Dataset dataset) {
        String taskId = record.taskId();
        String prompt = record.text("prompt");
        String entryPoint = record.text("entry_point");
        String solution = record.textMayBeBlank("canonical_solution");
        DatasetRecord.Inputs base = record.inputs("base_input");
        DatasetRecord.Inputs plus = record.inputs("plus_input");
        Double atol = record.nonNegativeNumber("atol");
        // contract is EvalPlus's input validation for generating inputs: not a test
        record.optionalText("contract");
        if (!record.isValid()) {
            return null;
        }
        InputTests inputs = new InputTests(dataset, taskId, base.json(), plus.json(), atol);
        return new EvalPlusProblem(taskId, prompt, entryPoint, solution, inputs, base.count() + plus.count());
    }

    /**
     * MBPP+'s prompt is a docstring holding the description and one example assert; the model is
     * shown both as MBPP shows them. Without an assert in the docstring, the first of {@code
     * assertion} is shown.
     */
    static String mbppPlusPrompt(String docstring, String assertion) {
        String text = docstring.strip();
        for (String quotes : List.of("\"\"\"", "'''")) {
            if (text.length() >= 6 && text.startsWith(quotes) && text.endsWith(quotes)) {
                text = text.substring(3, text.length() - 3);
            }
        }
        List<String> lines = text.strip().lines().toList();
        int firstAssert = firstAssert(lines);
        String description = String.join("\n", lines.subList(0, firstAssert)).strip();
        String example =
                String.join("\n", lines.subList(firstAssert, lines.size())).strip();
        if (example.isEmpty()) {
            List<String> asserts = assertion.strip().lines().toList();
            int fromAssertion = firstAssert(asserts);
            example =
                    fromAssertion < asserts.size() ? asserts.get(fromAssertion).strip() : "";
        }
        return example.isEmpty() ? description : description + SHOWN_TEST + example;
    }

    private static int firstAssert(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).stripLeading().startsWith("assert ")) {
                return i;
            }
        }
        return lines.size();
    }

    private static List<String> nonEmptyTests(DatasetRecord record) {
        List<String> tests = record.textList("test_list", true);
        if (tests != null && tests.isEmpty()) {
            record.error("test_list", "must hold at least one test");
            return null;
        }
        return tests;
    }

    /** The function of the reference code that the tests call; the first one defined if none is named. */
    private static String entryPointOf(DatasetRecord record, String code, List<String> tests) {
        if (code == null || tests == null) {
            return null;
        }
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
        if (first == null && record.isValid()) {
            record.error("code", "defines no function the tests call");
        }
        return first;
    }
}
