package dev.evalfleet.worker.repair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.evalfleet.worker.repair.RepairTree.Node;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepairTreeTests {

    /*
     * Hand-built tree, gamma 0.5:
     *   0 (r=0.0) -> 2 (r=0.5) -> 4 (r=1.0)
     *             -> 3 (r=0.0)
     *   1 (r=0.25)               (leaf)
     */
    private final RepairTree tree = new RepairTree(List.of(
            new Node(0, null, 1, 0.0),
            new Node(1, null, 1, 0.25),
            new Node(2, 0, 2, 0.5),
            new Node(3, 0, 2, 0.0),
            new Node(4, 2, 3, 1.0)));

    @Test
    void marsIsTheBestRewardInTheSubtree() {
        Map<Integer, RepairTree.Credit> credits = tree.credits(0.5);

        assertThat(credits.get(0).mars()).isEqualTo(1.0);
        assertThat(credits.get(1).mars()).isEqualTo(0.25);
        assertThat(credits.get(2).mars()).isEqualTo(1.0);
        assertThat(credits.get(3).mars()).isEqualTo(0.0);
        assertThat(credits.get(4).mars()).isEqualTo(1.0);
    }

    @Test
    void mersIsTheDiscountedMeanNormalisedByRemainingDepth() {
        Map<Integer, RepairTree.Credit> credits = tree.credits(0.5);

        // leaves: their reward
        assertThat(credits.get(4).mers()).isEqualTo(1.0);
        assertThat(credits.get(3).mers()).isEqualTo(0.0);
        assertThat(credits.get(1).mers()).isEqualTo(0.25);
        // node 2: u = 0.5 + 0.5 * 1.0 = 1.0, depth 1, divisor 1 + 0.5 = 1.5
        assertThat(credits.get(2).mers()).isCloseTo(1.0 / 1.5, within(1e-12));
        // node 0: u = 0 + 0.5 * mean(u2 = 1.0, u3 = 0.0) = 0.25, depth 2, divisor 1.75
        assertThat(credits.get(0).mers()).isCloseTo(0.25 / 1.75, within(1e-12));
    }

    @Test
    void defaultGammaOnAFailedParentWithAPassingChild() {
        RepairTree chain = new RepairTree(List.of(new Node(0, null, 1, 0.0), new Node(1, 0, 2, 1.0)));

        RepairTree.Credit root = chain.credits(0.9).get(0);
        assertThat(root.mars()).isEqualTo(1.0);
        assertThat(root.mers()).isCloseTo(0.9 / 1.9, within(1e-12));
    }

    @Test
    void turnOneKeepsTheHighestAndLowestFailedCandidates() {
        RepairTree turnOne = new RepairTree(List.of(
                new Node(0, null, 1, 0.5),
                new Node(1, null, 1, 1.0),
                new Node(2, null, 1, 0.0),
                new Node(3, null, 1, 0.75),
                new Node(4, null, 1, 0.25),
                new Node(5, null, 1, 0.5)));

        // failed: 0 (0.5), 2 (0.0), 3 (0.75), 4 (0.25), 5 (0.5); b = 3: two highest (3, then 0 before 5) and the lowest
        // (2)
        assertThat(turnOne.toRepair(1, 3)).extracting(Node::index).containsExactly(3, 0, 2);
        assertThat(turnOne.toRepair(1, 10)).extracting(Node::index).containsExactly(0, 2, 3, 4, 5);
    }

    @Test
    void allEqualRewardsKeepTheEarliestCandidates() {
        RepairTree zeros = new RepairTree(List.of(
                new Node(0, null, 1, 0.0),
                new Node(1, null, 1, 0.0),
                new Node(2, null, 1, 0.0),
                new Node(3, null, 1, 0.0)));

        assertThat(zeros.toRepair(1, 3)).extracting(Node::index).containsExactly(0, 1, 2);
    }

    @Test
    void laterTurnsKeepTheParentsWhoseRepairMovedTheRewardMost() {
        RepairTree twoTurns = new RepairTree(List.of(
                new Node(0, null, 1, 0.0),
                new Node(1, null, 1, 0.0),
                new Node(2, null, 1, 0.0),
                new Node(3, 0, 2, 0.0), // no change
                new Node(4, 1, 2, 0.5), // moved by 0.5
                new Node(5, 2, 2, 0.25))); // moved by 0.25

        assertThat(twoTurns.toRepair(2, 2)).extracting(Node::index).containsExactly(4, 5);
        assertThat(twoTurns.toRepair(3, 2)).isEmpty();
    }

    @Test
    void passedNodesAreNeverRepaired() {
        RepairTree passed = new RepairTree(List.of(new Node(0, null, 1, 1.0), new Node(1, null, 1, 1.0)));

        assertThat(passed.toRepair(1, 3)).isEmpty();
    }
}
