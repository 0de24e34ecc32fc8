package dev.evalfleet.coordinator.repair;

import dev.evalfleet.contracts.RepairStrategy;
import java.util.List;
import java.util.UUID;

/**
 * One problem's self-repair tree: every node, in the order it was generated.
 *
 * @param label says whether the feedback was oracle feedback (the hidden tests)
 */
public record RepairTreeView(UUID jobId, String problem, RepairStrategy strategy, String label, List<Node> nodes) {

    /**
     * A node. {@code reward}, {@code feedbackTests*} and {@code feedback} are about the feedback tests
     * (what the model may see); {@code hidden*} about the hidden tests that judge it.
     *
     * @param credit the credit the job asked for ({@code mars} or {@code mers})
     * @param feedback what a child's re-prompt shows of this node's run; empty when it passed
     */
    public record Node(
            int nodeId,
            int turn,
            Integer parentId,
            List<Integer> children,
            String prompt,
            String rawOutput,
            String completion,
            double reward,
            int feedbackTestsPassed,
            int feedbackTestsTotal,
            String feedback,
            double credit,
            double creditMars,
            double creditMers,
            String hiddenVerdict,
            int hiddenTestsPassed,
            int hiddenTestsTotal,
            String hiddenFeedback,
            Integer promptTokens,
            Integer completionTokens,
            long generationMillis,
            long executionMillis) {}
}
