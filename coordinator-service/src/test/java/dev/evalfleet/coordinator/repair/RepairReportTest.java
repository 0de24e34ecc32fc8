package dev.evalfleet.coordinator.repair;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepairReportTest {

    private static RepairNodeRow node(String problem, int id, int turn, Integer parent, double reward, boolean passed) {
        return new RepairNodeRow(problem, problem.endsWith("0") ? 0 : 1, id, turn, parent, reward, passed, 10);
    }

    @Test
    void answerAfterEachTurnIsTheBestRewardTiesToTheEarliestJudgedOnHiddenTests() {
        List<RepairNodeRow> nodes = List.of(
                // P/0: visible rewards tie at 1.0 between node 0 (fails hidden) and node 2; the earliest wins
                node("P/0", 0, 1, null, 1.0, false),
                node("P/0", 1, 1, null, 0.0, false),
                node("P/0", 2, 2, 1, 1.0, true),
                // P/1: only the repair passes
                node("P/1", 0, 1, null, 0.0, false),
                node("P/1", 1, 2, 0, 1.0, true));

        RepairReport report = RepairReport.of(nodes, 2, "visible");

        assertThat(report.passAt1ByIteration()).containsEntry("1", 0.0).containsEntry("2", 0.5);
        assertThat(report.chainPassRateByIteration()).containsEntry("1", 0.0).containsEntry("2", 2.0 / 3);
        assertThat(report.solvedAnywhereUpperBound()).isEqualTo(1.0);
        assertThat(report.modelCallsByTurn()).containsEntry("1", 3L).containsEntry("2", 2L);
        assertThat(report.tokensPerProblem()).isEqualTo(25.0);
        assertThat(report.oracleFeedback()).isFalse();
        assertThat(RepairReport.of(nodes, 2, "full").label()).startsWith("oracle feedback");
    }
}
