package dev.evalfleet.coordinator.repair;

import static dev.evalfleet.coordinator.result.ResultColumn.COMPLETION;
import static dev.evalfleet.coordinator.result.ResultColumn.COMPLETION_TOKENS;
import static dev.evalfleet.coordinator.result.ResultColumn.CREDIT_MARS;
import static dev.evalfleet.coordinator.result.ResultColumn.CREDIT_MERS;
import static dev.evalfleet.coordinator.result.ResultColumn.EXECUTION_MS;
import static dev.evalfleet.coordinator.result.ResultColumn.FEEDBACK;
import static dev.evalfleet.coordinator.result.ResultColumn.FEEDBACK_TESTS_PASSED;
import static dev.evalfleet.coordinator.result.ResultColumn.FEEDBACK_TESTS_TOTAL;
import static dev.evalfleet.coordinator.result.ResultColumn.GENERATION_MS;
import static dev.evalfleet.coordinator.result.ResultColumn.NODE_ID;
import static dev.evalfleet.coordinator.result.ResultColumn.NODE_PROMPT;
import static dev.evalfleet.coordinator.result.ResultColumn.ORDINAL;
import static dev.evalfleet.coordinator.result.ResultColumn.PARENT_ID;
import static dev.evalfleet.coordinator.result.ResultColumn.PASSED;
import static dev.evalfleet.coordinator.result.ResultColumn.PROMPT_TOKENS;
import static dev.evalfleet.coordinator.result.ResultColumn.RAW_OUTPUT;
import static dev.evalfleet.coordinator.result.ResultColumn.REPAIR_FEEDBACK;
import static dev.evalfleet.coordinator.result.ResultColumn.REWARD;
import static dev.evalfleet.coordinator.result.ResultColumn.TASK_ID;
import static dev.evalfleet.coordinator.result.ResultColumn.TESTS_PASSED;
import static dev.evalfleet.coordinator.result.ResultColumn.TESTS_TOTAL;
import static dev.evalfleet.coordinator.result.ResultColumn.TURN;
import static dev.evalfleet.coordinator.result.ResultColumn.VERDICT;

import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.coordinator.api.NotFoundException;
import dev.evalfleet.coordinator.result.JobResults;
import dev.evalfleet.coordinator.result.ResultColumn;
import dev.evalfleet.coordinator.result.ResultRow;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Reads self-repair trees back: the per-job report and one problem's tree. The feature's facade. */
@Service
public class RepairTrees {

    private static final Set<ResultColumn> REPORT_COLUMNS =
            EnumSet.of(TASK_ID, ORDINAL, NODE_ID, TURN, PARENT_ID, REWARD, PASSED, PROMPT_TOKENS, COMPLETION_TOKENS);
    private static final Set<ResultColumn> TREE_COLUMNS = EnumSet.complementOf(
            EnumSet.of(ResultColumn.INPUT_LINE, ResultColumn.ORIGINAL, ResultColumn.FAILURE_REASON));

    private final JobResults results;
    private final JsonMapper json;

    RepairTrees(JobResults results, JsonMapper json) {
        this.results = results;
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
        return reports(Map.of(jobId, strategy)).get(jobId);
    }

    /** The reports of several murphy jobs, by job, read at once. */
    public Map<UUID, RepairReport> reports(Map<UUID, RepairStrategy> strategies) {
        Map<UUID, List<ResultRow>> nodes = results.repairNodes(strategies.keySet(), REPORT_COLUMNS);
        Map<UUID, RepairReport> reports = new LinkedHashMap<>();
        strategies.forEach((job, strategy) -> reports.put(
                job,
                RepairReport.of(
                        nodes.getOrDefault(job, List.of()).stream()
                                .map(RepairTrees::reportNode)
                                .toList(),
                        strategy.turns(),
                        strategy.feedback())));
        return reports;
    }

    /**
     * Per problem of a murphy job, whether the answer it returns after its last turn passed the hidden
     * tests, and how many model calls it spent on the problem: what a comparison with another job needs.
     */
    public Map<String, FinalAnswer> finalAnswers(UUID jobId, RepairStrategy strategy) {
        Map<String, List<RepairNodeRow>> byProblem = new LinkedHashMap<>();
        for (ResultRow row : results.repairNodes(jobId, null, REPORT_COLUMNS)) {
            RepairNodeRow node = reportNode(row);
            byProblem.computeIfAbsent(node.problem(), p -> new ArrayList<>()).add(node);
        }
        Map<String, FinalAnswer> answers = new LinkedHashMap<>();
        byProblem.forEach((problem, tree) ->
                answers.put(problem, new FinalAnswer(RepairReport.answerAfter(tree, strategy.turns()), tree.size())));
        return answers;
    }

    /** A murphy job's answer to one problem: whether it passed, and the model calls spent on it. */
    public record FinalAnswer(boolean passed, int modelCalls) {}

    private static RepairNodeRow reportNode(ResultRow row) {
        return new RepairNodeRow(
                row.text(TASK_ID),
                row.integer(ORDINAL),
                row.integer(NODE_ID),
                row.integer(TURN),
                row.integer(PARENT_ID),
                row.decimal(REWARD),
                row.passed(),
                nullToZero(row.whole(PROMPT_TOKENS)) + nullToZero(row.whole(COMPLETION_TOKENS)));
    }

    private static long nullToZero(Long value) {
        return value == null ? 0 : value;
    }

    /** The tree of {@code problem} (a dataset task id such as {@code HumanEval/0}) in job {@code jobId}. */
    public RepairTreeView tree(UUID jobId, String problem) {
        RepairStrategy strategy = strategy(results.job(jobId)
                .orElseThrow(() -> NotFoundException.job(jobId))
                .strategy());
        if (strategy == null) {
            throw new NotFoundException(
                    "Job " + jobId + " draws independent samples; only a murphy job has repair trees");
        }
        boolean mars = RepairStrategy.MARS.equals(strategy.credit());
        List<RepairTreeView.Node> nodes = new ArrayList<>(results.repairNodes(jobId, problem, TREE_COLUMNS).stream()
                .map(row -> new RepairTreeView.Node(
                        row.integer(NODE_ID),
                        row.integer(TURN),
                        row.integer(PARENT_ID),
                        new ArrayList<>(),
                        row.text(NODE_PROMPT),
                        row.text(RAW_OUTPUT),
                        row.text(COMPLETION),
                        row.decimal(REWARD),
                        row.integer(FEEDBACK_TESTS_PASSED),
                        row.integer(FEEDBACK_TESTS_TOTAL),
                        row.text(REPAIR_FEEDBACK),
                        mars ? row.decimal(CREDIT_MARS) : row.decimal(CREDIT_MERS),
                        row.decimal(CREDIT_MARS),
                        row.decimal(CREDIT_MERS),
                        row.text(VERDICT),
                        row.integer(TESTS_PASSED),
                        row.integer(TESTS_TOTAL),
                        row.text(FEEDBACK),
                        row.integer(PROMPT_TOKENS),
                        row.integer(COMPLETION_TOKENS),
                        row.whole(GENERATION_MS),
                        row.whole(EXECUTION_MS)))
                .toList());
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
