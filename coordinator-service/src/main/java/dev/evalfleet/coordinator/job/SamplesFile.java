package dev.evalfleet.coordinator.job;

import dev.evalfleet.coordinator.upload.JsonRecords;
import dev.evalfleet.coordinator.upload.JsonRecords.JsonRecord;
import dev.evalfleet.coordinator.upload.LineErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Reads human-eval's {@code samples.jsonl}: one {@code task_id} and {@code completion} per line, other fields kept. */
final class SamplesFile {

    /** One line of the file, with the object as it was written. */
    record Line(int line, String taskId, String completion, String original) {}

    private SamplesFile() {}

    /** The lines in file order; unknown task ids and malformed lines are errors, reported by line. */
    static List<Line> read(JsonRecords reader, byte[] upload, Set<String> knownTaskIds, int maxReportedErrors) {
        LineErrors errors = new LineErrors();
        List<Line> lines = new ArrayList<>();
        for (JsonRecord record : reader.read(upload, errors)) {
            String taskId = text(record, "task_id", errors);
            String completion = text(record, "completion", errors);
            if (taskId != null && !knownTaskIds.contains(taskId)) {
                errors.add(record.line(), "task_id", "'" + taskId + "' is not a problem of this dataset");
            } else if (taskId != null && completion != null) {
                lines.add(new Line(
                        record.line(), taskId, completion, record.node().toString()));
            }
        }
        if (lines.isEmpty() && errors.isEmpty()) {
            errors.add(null, null, "the file holds no samples");
        }
        errors.throwIfAny("samples file", maxReportedErrors);
        return lines;
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
