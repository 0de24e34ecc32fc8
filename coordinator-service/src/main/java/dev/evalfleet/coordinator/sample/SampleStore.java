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
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stores samples exactly once and answers questions about them. */
@Repository
public class SampleStore {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcTemplate batch;

    SampleStore(JdbcClient jdbc, NamedParameterJdbcTemplate batch) {
        this.jdbc = jdbc;
        this.batch = batch;
    }

    private static final String INSERT = """
            insert into sample (task_id, sample_index, raw_output, completion, verdict, tests_passed,
                                tests_total, feedback, execution_ms, generation_ms, prompt_tokens,
                                completion_tokens, worker_id, created_at, turn, parent_index, node_prompt,
                                reward, feedback_tests_passed, feedback_tests_total, repair_feedback,
                                credit_mars, credit_mers, oracle_feedback, passed_base, time_limit_rule,
                                time_limit_seconds, reference_seconds)
            values (:task, :index, :raw, :completion, :verdict, :passed, :total, :feedback, :executionMs,
                    :generationMs, :promptTokens, :completionTokens, :worker, :now, :turn, :parent, :nodePrompt,
                    :reward, :feedbackPassed, :feedbackTotal, :repairFeedback, :creditMars, :creditMers, :oracle,
                    :passedBase, :limitRule, :limitSeconds, :referenceSeconds)
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
                .addValue("referenceSeconds", limit == null ? null : limit.referenceSeconds());
    }

    /**
     * Per task of the job, in problem order: samples stored, samples passed, and samples that passed
     * the base inputs (a sample that passed did; one without a base verdict did not).
     */
    public List<SampleCount> countsPerTask(UUID jobId) {
        return jdbc.sql("""
                select count(s.id) as samples,
                       count(s.id) filter (where s.verdict = 'PASSED') as passed,
                       count(s.id) filter (where s.verdict = 'PASSED' or s.passed_base) as passed_base
                from task t left join sample s on s.task_id = t.id
                where t.job_id = :job
                group by t.id, t.ordinal
                order by t.ordinal
                """)
                .param("job", jobId)
                .query((rs, row) ->
                        new SampleCount(rs.getInt("samples"), rs.getInt("passed"), rs.getInt("passed_base")))
                .list();
    }

    /** The time limits the job's samples were scored with, by the rule that set them. */
    public List<AppliedTimeLimits> timeLimitsApplied(UUID jobId) {
        return jdbc.sql("""
                select s.time_limit_rule as rule, count(*) as samples,
                       min(s.time_limit_seconds) as min_seconds, max(s.time_limit_seconds) as max_seconds
                from sample s join task t on t.id = s.task_id
                where t.job_id = :job and s.time_limit_rule is not null
                group by s.time_limit_rule
                order by s.time_limit_rule
                """)
                .param("job", jobId)
                .query((rs, row) -> new AppliedTimeLimits(
                        rs.getString("rule"),
                        rs.getLong("samples"),
                        rs.getDouble("min_seconds"),
                        rs.getDouble("max_seconds")))
                .list();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
