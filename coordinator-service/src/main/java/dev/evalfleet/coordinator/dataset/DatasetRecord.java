package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.coordinator.upload.JsonRecords;
import dev.evalfleet.coordinator.upload.JsonRecords.JsonRecord;
import dev.evalfleet.coordinator.upload.LineErrors;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One record of a dataset file as its format's reader sees it: typed access to its fields, each
 * problem added to the file's errors with the record's line and the field's name.
 */
final class DatasetRecord {

    private final JsonRecord record;
    private final JsonRecords reader;
    private final LineErrors errors;
    private final int errorsBefore;

    DatasetRecord(JsonRecord record, JsonRecords reader, LineErrors errors) {
        this.record = record;
        this.reader = reader;
        this.errors = errors;
        this.errorsBefore = errors.size();
    }

    int line() {
        return record.line();
    }

    boolean has(String field) {
        return record.node().has(field) && !record.node().get(field).isNull();
    }

    /** Whether reading this record found no error so far. */
    boolean isValid() {
        return errors.size() == errorsBefore;
    }

    void error(String field, String message) {
        errors.add(record.line(), field, message);
    }

    /** Refuses every field the format neither reads nor accepts as informational. */
    void refuseFieldsNotUnderstoodBy(DatasetFileFormat format) {
        for (String field : record.node().propertyNames()) {
            if (!format.understands(field)) {
                error(
                        field,
                        "is not a field of " + format.label() + ": evalfleet would not use it, and refuses the file"
                                + " rather than judge it on less than it holds (" + format.describeFields() + ")");
            }
        }
    }

    /** The problem's id; MBPP's files number them, which are ids all the same. */
    String taskId() {
        JsonNode value = record.node().get("task_id");
        if (value != null && value.isIntegralNumber()) {
            return value.asString();
        }
        return text("task_id");
    }

    /** A required, non-blank string. */
    String text(String field) {
        return text(field, false);
    }

    /** A required string that may be empty or blank (a reference solution may be). */
    String textMayBeBlank(String field) {
        return text(field, true);
    }

    private String text(String field, boolean mayBeBlank) {
        JsonNode value = record.node().get(field);
        if (value == null || value.isNull()) {
            error(field, "is required");
            return null;
        }
        if (!value.isString()) {
            error(field, "must be a string");
            return null;
        }
        if (!mayBeBlank && value.asString().isBlank()) {
            error(field, "must not be blank");
            return null;
        }
        return value.asString();
    }

    /** An optional string; empty when absent. */
    String optionalText(String field) {
        JsonNode value = record.node().get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isString()) {
            error(field, "must be a string");
            return "";
        }
        return value.asString();
    }

    /** A list of strings; {@code null} (with an error) when required and absent, else empty when absent. */
    List<String> textList(String field, boolean required) {
        JsonNode value = record.node().get(field);
        if (value == null || value.isNull()) {
            if (required) {
                error(field, "is required");
                return null;
            }
            return List.of();
        }
        if (!value.isArray() || value.valueStream().anyMatch(item -> !item.isString())) {
            error(field, "must be a list of strings");
            return null;
        }
        return value.valueStream().map(JsonNode::asString).toList();
    }

    /** Checks an optional list of strings that evalfleet accepts only when it is empty. */
    void requireEmptyIfPresent(String field, String why) {
        List<String> values = textList(field, false);
        if (values != null && !values.isEmpty()) {
            error(field, "must be empty: " + why);
        }
    }

    /**
     * EvalPlus inputs: a JSON array of argument lists, passed on as the file writes it.
     *
     * @return the array's text and how many inputs it holds, or {@code null} with an error
     */
    Inputs inputs(String field) {
        JsonNode value = record.node().get(field);
        if (value == null || value.isNull()) {
            error(field, "is required");
            return null;
        }
        if (!value.isArray() || value.valueStream().anyMatch(item -> !item.isArray())) {
            error(field, "must be a list of argument lists");
            return null;
        }
        return new Inputs(reader.rawValue(record, field), value.size());
    }

    /** EvalPlus inputs as the file writes them, and their number. */
    record Inputs(String json, int count) {}

    /** A required number that is not negative. */
    Double nonNegativeNumber(String field) {
        JsonNode value = record.node().get(field);
        if (value == null || value.isNull()) {
            error(field, "is required");
            return null;
        }
        if (!value.isNumber() || value.asDouble() < 0 || Double.isNaN(value.asDouble())) {
            error(field, "must be a number of at least 0");
            return null;
        }
        return value.asDouble();
    }
}
