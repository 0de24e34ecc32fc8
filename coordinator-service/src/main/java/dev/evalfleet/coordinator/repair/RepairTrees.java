package dev.evalfleet.coordinator.repair;

import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.coordinator.api.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Reads self-repair trees back: the per-job report and one problem's tree. The feature's facade. */
@Service
public class RepairTrees {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RepairTrees(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The strategy a job stored, or {@code null} for independent samples. */
    public RepairStrategy strategy(String stored) {
        return stored == null ? null : json.readValue(stored, RepairStrategy.class);
    }

    public String store(RepairStrategy strategy) {
        return strategy == null ? null : json.writeValueAsString(strategy);
    }

    /** The report of a murphy job over the nodes stored so far. */
    public RepairReport report(UUID jobId, RepairStrategy strategy) {
        List<RepairNodeRow> nodes = jdbc.sql("""
                select p.task_id, t.ordinal, s.sample_index, s.turn, s.parent_index, s.reward, s.verdict,
                       coalesce(s.prompt_tokens, 0) + coalesce(s.completion_tokens, 0) as tokens
                from sample s
                join task t on t.id = s.task_id
                join problem p on p.id = t.problem_id
                where t.job_id = :job and s.turn is not null
                """)
                .param("job", jobId)
                .query((rs, row) -> new RepairNodeRow(
                        rs.getString("task_id"),
                        rs.getInt("ordinal"),
                        rs.getInt("sample_index"),
                        rs.getInt("turn"),
                        (Integer) rs.getObject("parent_index"),
                        rs.getDouble("reward"),
                        "PASSED".equals(rs.getString("verdict")),
                        rs.getLong("tokens")))
                .list();
        return RepairReport.of(nodes, strategy.turns(), strategy.feedback());
    }

    /** The tree of {@code problem} (a dataset task id such as {@code HumanEval/0}) in job {@code jobId}. */
    public RepairTreeView tree(UUID jobId, String problem) {
        String stored = jdbc.sql("select strategy from job where id = :id")
                .param("id", jobId)
                .query(String.class)
                .optional()
                .orElseThrow(() -> NotFoundException.job(jobId));
        RepairStrategy strategy = strategy(stored);
        if (strategy == null) {
            throw new NotFoundException(
                    "Job " + jobId + " draws independent samples; only a murphy job has repair trees");
        }
        boolean mars = RepairStrategy.MARS.equals(strategy.credit());
        List<RepairTreeView.Node> nodes = new ArrayList<>(jdbc.sql("""
                select s.* from sample s
                join task t on t.id = s.task_id
                join problem p on p.id = t.problem_id
                where t.job_id = :job and p.task_id = :problem and s.turn is not null
                order by s.sample_index
                """)
                .param("job", jobId)
                .param("problem", problem)
                .query((rs, row) -> new RepairTreeView.Node(
                        rs.getInt("sample_index"),
                        rs.getInt("turn"),
                        (Integer) rs.getObject("parent_index"),
                        new ArrayList<>(),
                        rs.getString("node_prompt"),
                        rs.getString("raw_output"),
                        rs.getString("completion"),
                        rs.getDouble("reward"),
                        rs.getInt("feedback_tests_passed"),
                        rs.getInt("feedback_tests_total"),
                        rs.getString("repair_feedback"),
                        mars ? rs.getDouble("credit_mars") : rs.getDouble("credit_mers"),
                        rs.getDouble("credit_mars"),
                        rs.getDouble("credit_mers"),
                        rs.getString("verdict"),
                        rs.getInt("tests_passed"),
                        rs.getInt("tests_total"),
                        rs.getString("feedback"),
                        (Integer) rs.getObject("prompt_tokens"),
                        (Integer) rs.getObject("completion_tokens"),
                        rs.getLong("generation_ms"),
                        rs.getLong("execution_ms")))
                .list());
        if (nodes.isEmpty()) {
            throw new NotFoundException("Job " + jobId + " has no repair tree for problem '" + problem + "' (yet)");
        }
        for (RepairTreeView.Node node : nodes) {
            if (node.parentId() != null) {
                nodes.stream()
                        .filter(n -> n.nodeId() == node.parentId())
                        .findFirst()
                        .ifPresent(parent -> parent.children().add(node.nodeId()));
            }
        }
        String label = strategy.oracleFeedback() ? RepairReport.ORACLE_LABEL : RepairReport.VISIBLE_LABEL;
        return new RepairTreeView(jobId, problem, strategy, label, nodes);
    }
}
