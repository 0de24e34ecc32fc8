package dev.evalfleet.coordinator.job;

import dev.evalfleet.coordinator.upload.JsonRecords;
import dev.evalfleet.coordinator.upload.JsonRecords.JsonRecord;
import dev.evalfleet.coordinator.upload.LineErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads a samples file: human-eval's {@code samples.jsonl} (a {@code task_id} and a {@code
 * completion} of the prompt per line) or EvalPlus's (a {@code task_id} and a whole program, {@code
 * solution}, or a {@code completion}); other fields are kept. As in EvalPlus, a line with a {@code
 * solution} is judged on it.
 */
final class SamplesFile {

    /**
     * One line of the file, with the object as it was written.
     *
     * @param code the line's {@code solution} if it has one, else its {@code completion}
     * @param wholeProgram whether {@code code} is a whole program ({@code solution}) rather than a
     *     completion of the prompt
     */
    record Line(int line, String taskId, String code, boolean wholeProgram, String original) {}

    private SamplesFile() {}

    /** The lines in file order; unknown task ids and malformed lines are errors, reported by line. */
    static List<Line> read(JsonRecords reader, byte[] upload, Set<String> knownTaskIds, int maxReportedErrors) {
        LineErrors errors = new LineErrors();
        List<Line> lines = new ArrayList<>();
        for (JsonRecord record : reader.read(upload, errors)) {
            String taskId = text(record, "task_id", errors);
            boolean wholeProgram = record.node().has("solution");
            String code = wholeProgram ? text(record, "solution", errors) : completion(record, errors);
            if (taskId != null && !knownTaskIds.contains(taskId)) {
                errors.add(record.line(), "task_id", "'" + taskId + "' is not a problem of this dataset");
            } else if (taskId != null && code != null) {
                lines.add(new Line(
                        record.line(), taskId, code, wholeProgram, record.node().toString()));
            }
        }
        if (lines.isEmpty() && errors.isEmpty()) {
            errors.add(null, null, "the file holds no samples");
        }
        errors.throwIfAny("samples file", maxReportedErrors);
        return lines;
    }

    private static String completion(JsonRecord record, LineErrors errors) {
        if (!record.node().has("completion")) {
            errors.add(
                    record.line(),
                    "completion",
                    "is required (or 'solution', a whole program, as in EvalPlus's samples files)");
            return null;
        }
        return text(record, "completion", errors);
    }

    private static String text(JsonRecord record, String field, LineErrors errors) {
        JsonNode value = record.node().get(field);
        if (value == null || !value.isString()) {
            errors.add(record.line(), field, value == null ? "is required" : "must be a string");
            return null;
        }
        return value.asString();
    }
}
