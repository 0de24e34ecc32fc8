package dev.evalfleet.coordinator.sample;

import dev.evalfleet.contracts.RepairNode;
import dev.evalfleet.contracts.SampleResult;
import dev.evalfleet.contracts.TimeLimit;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/** Stores samples exactly once; {@code result.JobResults} reads them. */
@Repository
public class SampleStore {

    private final NamedParameterJdbcTemplate batch;

    SampleStore(NamedParameterJdbcTemplate batch) {
        this.batch = batch;
    }

    private static final String INSERT = """
            insert into sample (task_id, sample_index, raw_output, completion, verdict, tests_passed,
                                tests_total, feedback, execution_ms, generation_ms, prompt_tokens,
                                completion_tokens, worker_id, created_at, turn, parent_index, node_prompt,
                                reward, feedback_tests_passed, feedback_tests_total, repair_feedback,
                                credit_mars, credit_mers, oracle_feedback, passed_base, time_limit_rule,
                                time_limit_seconds, reference_seconds, generation_started_at)
            values (:task, :index, :raw, :completion, :verdict, :passed, :total, :feedback, :executionMs,
                    :generationMs, :promptTokens, :completionTokens, :worker, :now, :turn, :parent, :nodePrompt,
                    :reward, :feedbackPassed, :feedbackTotal, :repairFeedback, :creditMars, :creditMers, :oracle,
                    :passedBase, :limitRule, :limitSeconds, :referenceSeconds, :generationStartedAt)
            on conflict (task_id, sample_index) do nothing
            """;

    /**
     * Inserts the samples in one batch (a task may carry hundreds); one that is already stored (a
     * redelivered result) is left as it is.
     */
    public void insert(UUID taskId, String workerId, List<SampleResult> samples) {
        Timestamp now = Timestamp.from(Instant.now());
        SqlParameterSource[] rows = samples.stream()
                .map(sample -> row(taskId, workerId, now, sample))
                .toArray(SqlParameterSource[]::new);
        batch.batchUpdate(INSERT, rows);
    }

    private static SqlParameterSource row(UUID taskId, String workerId, Timestamp now, SampleResult sample) {
        RepairNode node = sample.node();
        TimeLimit limit = sample.timeLimit();
        return new MapSqlParameterSource()
                .addValue("task", taskId)
                .addValue("index", sample.sampleIndex())
                .addValue("raw", nullToEmpty(sample.rawOutput()))
                .addValue("completion", nullToEmpty(sample.completion()))
                .addValue("verdict", sample.verdict().name())
                .addValue("passed", sample.testsPassed())
                .addValue("total", sample.testsTotal())
                .addValue("feedback", nullToEmpty(sample.feedback()))
                .addValue("executionMs", sample.executionMillis())
                .addValue("generationMs", sample.generationMillis())
                .addValue("promptTokens", sample.promptTokens())
                .addValue("completionTokens", sample.completionTokens())
                .addValue("worker", workerId)
                .addValue("now", now)
                .addValue("turn", node == null ? null : node.turn())
                .addValue("parent", node == null ? null : node.parentIndex())
                .addValue("nodePrompt", node == null ? null : node.prompt())
                .addValue("reward", node == null ? null : node.reward())
                .addValue("feedbackPassed", node == null ? null : node.feedbackTestsPassed())
                .addValue("feedbackTotal", node == null ? null : node.feedbackTestsTotal())
                .addValue("repairFeedback", node == null ? null : nullToEmpty(node.repairFeedback()))
                .addValue("creditMars", node == null ? null : node.creditMars())
                .addValue("creditMers", node == null ? null : node.creditMers())
                .addValue("oracle", node == null ? null : node.oracleFeedback())
                .addValue("passedBase", sample.passedBase())
                .addValue("limitRule", limit == null ? null : limit.rule())
                .addValue("limitSeconds", limit == null ? null : limit.seconds())
                .addValue("referenceSeconds", limit == null ? null : limit.referenceSeconds())
                .addValue(
                        "generationStartedAt",
                        sample.generationStartedAt() == null ? null : Timestamp.from(sample.generationStartedAt()));
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
