package dev.evalfleet.contracts;

/**
 * Where a sample stands in a self-repair tree ({@code murphy} strategy); {@code null} for
 * independent samples. The sample's own fields hold its raw output, code, verdict on the hidden
 * tests, tokens and latencies; node ids are sample indexes within the task.
 *
 * @param turn 1-based turn the node was generated in
 * @param parentIndex sample index of the node it repairs; {@code null} in turn 1
 * @param prompt the user message the model was shown
 * @param reward share of the feedback tests passed, in [0, 1]
 * @param feedbackTestsPassed feedback tests passed
 * @param feedbackTestsTotal feedback tests run (0: the problem has no visible tests, the reward is
 *     whether the program runs)
 * @param repairFeedback the execution feedback on the feedback tests, as a child's re-prompt shows it;
 *     empty when the node passed them
 * @param creditMars max of the node's reward and its children's MaRS credits
 * @param creditMers the node's reward plus gamma times the mean of its children's MeRS sums,
 *     normalised by the node's remaining depth (see README)
 * @param oracleFeedback whether the feedback came from the hidden tests
 */
public record RepairNode(
        int turn,
        Integer parentIndex,
        String prompt,
        double reward,
        int feedbackTestsPassed,
        int feedbackTestsTotal,
        String repairFeedback,
        double creditMars,
        double creditMers,
        boolean oracleFeedback) {}
