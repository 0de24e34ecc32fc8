package dev.evalfleet.coordinator.sample;

import dev.evalfleet.contracts.RepairNode;
import dev.evalfleet.contracts.SampleResult;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Stores samples exactly once and answers questions about them. */
@Repository
public class SampleStore {

    private final JdbcClient jdbc;

    SampleStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the samples; one that is already stored (a redelivered result) is left as it is. */
    public int insert(UUID taskId, String workerId, List<SampleResult> samples) {
        Timestamp now = Timestamp.from(Instant.now());
        int inserted = 0;
        for (SampleResult sample : samples) {
            RepairNode node = sample.node();
            inserted += jdbc.sql("""
                    insert into sample (task_id, sample_index, raw_output, completion, verdict, tests_passed,
                                        tests_total, feedback, execution_ms, generation_ms, prompt_tokens,
                                        completion_tokens, worker_id, created_at, turn, parent_index, node_prompt,
                                        reward, feedback_tests_passed, feedback_tests_total, repair_feedback,
                                        credit_mars, credit_mers, oracle_feedback)
                    values (:task, :index, :raw, :completion, :verdict, :passed, :total, :feedback, :executionMs,
                            :generationMs, :promptTokens, :completionTokens, :worker, :now, :turn, :parent, :nodePrompt,
                            :reward, :feedbackPassed, :feedbackTotal, :repairFeedback, :creditMars, :creditMers, :oracle)
                    on conflict (task_id, sample_index) do nothing
                    """)
                    .param("task", taskId)
                    .param("index", sample.sampleIndex())
                    .param("raw", nullToEmpty(sample.rawOutput()))
                    .param("completion", nullToEmpty(sample.completion()))
                    .param("verdict", sample.verdict().name())
                    .param("passed", sample.testsPassed())
                    .param("total", sample.testsTotal())
                    .param("feedback", nullToEmpty(sample.feedback()))
                    .param("executionMs", sample.executionMillis())
                    .param("generationMs", sample.generationMillis())
                    .param("promptTokens", sample.promptTokens())
                    .param("completionTokens", sample.completionTokens())
                    .param("worker", workerId)
                    .param("now", now)
                    .param("turn", node == null ? null : node.turn())
                    .param("parent", node == null ? null : node.parentIndex())
                    .param("nodePrompt", node == null ? null : node.prompt())
                    .param("reward", node == null ? null : node.reward())
                    .param("feedbackPassed", node == null ? null : node.feedbackTestsPassed())
                    .param("feedbackTotal", node == null ? null : node.feedbackTestsTotal())
                    .param("repairFeedback", node == null ? null : nullToEmpty(node.repairFeedback()))
                    .param("creditMars", node == null ? null : node.creditMars())
                    .param("creditMers", node == null ? null : node.creditMers())
                    .param("oracle", node == null ? null : node.oracleFeedback())
                    .update();
        }
        return inserted;
    }

    /** Per task of the job, in problem order: samples stored and samples passed. */
    public List<SampleCount> countsPerTask(UUID jobId) {
        return jdbc.sql("""
                select count(s.id) as samples, count(s.id) filter (where s.verdict = 'PASSED') as passed
                from task t left join sample s on s.task_id = t.id
                where t.job_id = :job
                group by t.id, t.ordinal
                order by t.ordinal
                """)
                .param("job", jobId)
                .query((rs, row) -> new SampleCount(rs.getInt("samples"), rs.getInt("passed")))
                .list();
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
