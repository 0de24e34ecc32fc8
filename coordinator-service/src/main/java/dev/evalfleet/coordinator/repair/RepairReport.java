package dev.evalfleet.coordinator.repair;

import dev.evalfleet.coordinator.statistics.Bootstrap;
import dev.evalfleet.coordinator.statistics.Estimate;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The numbers of a self-repair ({@code murphy}) job, keyed by turn k = 1..S as strings.
 *
 * @param feedback {@code visible} or {@code full}
 * @param oracleFeedback true when the model saw the hidden tests: every number here is then an
 *     oracle number, not comparable with pass@1 of an honest evaluation
 * @param label says so in words
 * @param problems problems whose task completed (the denominator of the per-problem numbers)
 * @param passAt1ByIteration per problem, the answer the strategy returns if stopped after turn k
 *     (highest reward on the feedback tests among nodes of turns 1..k, ties to the earliest node),
 *     judged on the hidden tests, averaged over problems
 * @param passAt1ByIterationCi95 for each k of {@code passAt1ByIteration}: its 95 % interval [low,
 *     high], a percentile bootstrap over problems (as for pass@k)
 * @param chainPassRateByIteration share of turn-1 candidates whose chain (the candidate and its
 *     repairs up to turn k) has a node passing the hidden tests
 * @param solvedAnywhereUpperBound share of problems where any node passed the hidden tests: an
 *     upper bound, since it picks with knowledge of the hidden tests
 * @param modelCallsByTurn model calls made in turn k (one per node)
 * @param tokensByTurn prompt plus completion tokens of turn k, as the servers reported them
 * @param modelCallsPerProblem mean model calls per problem, the compute budget to compare with n
 *     independent samples
 * @param tokensPerProblem mean tokens per problem
 */
public record RepairReport(
        String feedback,
        boolean oracleFeedback,
        String label,
        int problems,
        Map<String, Double> passAt1ByIteration,
        Map<String, double[]> passAt1ByIterationCi95,
        Map<String, Double> chainPassRateByIteration,

        @Schema(description = "Upper bound: any node of the problem passed the hidden tests")
        double solvedAnywhereUpperBound,

        Map<String, Long> modelCallsByTurn,
        Map<String, Long> tokensByTurn,
        double modelCallsPerProblem,
        double tokensPerProblem) {

    static final String ORACLE_LABEL =
            "oracle feedback: the model was shown the hidden tests; these numbers are not pass@1 of an honest evaluation";
    static final String VISIBLE_LABEL = "visible feedback: the model saw only the tests its problem statement shows";

    static RepairReport of(List<RepairNodeRow> nodes, int turns, String feedback) {
        boolean oracle = "full".equals(feedback);
        Map<String, List<RepairNodeRow>> byProblem = nodes.stream()
                .sorted(Comparator.comparingInt(RepairNodeRow::ordinal).thenComparingInt(RepairNodeRow::nodeId))
                .collect(Collectors.groupingBy(RepairNodeRow::problem, LinkedHashMap::new, Collectors.toList()));
        int problems = byProblem.size();
        Map<String, Double> passAt1 = new LinkedHashMap<>();
        Map<String, double[]> passAt1Ci95 = new LinkedHashMap<>();
        Map<String, Double> chains = new LinkedHashMap<>();
        Map<String, Long> calls = new LinkedHashMap<>();
        Map<String, Long> tokens = new LinkedHashMap<>();
        for (int k = 1; k <= turns; k++) {
            int turn = k;
            double[] solved = byProblem.values().stream()
                    .mapToDouble(tree -> answerAfter(tree, turn) ? 1 : 0)
                    .toArray();
            passAt1.put(key(k), share(Math.round(Arrays.stream(solved).sum()), problems));
            if (problems > 0) {
                Estimate estimate = Bootstrap.mean(solved);
                passAt1Ci95.put(key(k), new double[] {estimate.low(), estimate.high()});
            }
            long roots = 0;
            long passingChains = 0;
            for (List<RepairNodeRow> tree : byProblem.values()) {
                for (RepairNodeRow root : tree) {
                    if (root.turn() == 1) {
                        roots++;
                        passingChains += chainPasses(tree, root, turn) ? 1 : 0;
                    }
                }
            }
            chains.put(key(k), share(passingChains, roots));
            calls.put(key(k), nodes.stream().filter(n -> n.turn() == turn).count());
            tokens.put(
                    key(k),
                    nodes.stream()
                            .filter(n -> n.turn() == turn)
                            .mapToLong(RepairNodeRow::tokens)
                            .sum());
        }
        double solvedAnywhere = share(
                byProblem.values().stream()
                        .filter(tree -> tree.stream().anyMatch(RepairNodeRow::passedHidden))
                        .count(),
                problems);
        return new RepairReport(
                feedback,
                oracle,
                oracle ? ORACLE_LABEL : VISIBLE_LABEL,
                problems,
                passAt1,
                passAt1Ci95,
                chains,
                solvedAnywhere,
                calls,
                tokens,
                problems == 0 ? 0 : (double) nodes.size() / problems,
                problems == 0
                        ? 0
                        : (double) nodes.stream()
                                        .mapToLong(RepairNodeRow::tokens)
                                        .sum()
                                / problems);
    }

    /** Whether the answer returned after turn k passes: best reward so far, ties to the earliest node. */
    static boolean answerAfter(List<RepairNodeRow> tree, int k) {
        return tree.stream()
                .filter(node -> node.turn() <= k)
                .min(Comparator.comparingDouble((RepairNodeRow node) -> -node.reward())
                        .thenComparingInt(RepairNodeRow::turn)
                        .thenComparingInt(RepairNodeRow::nodeId))
                .map(RepairNodeRow::passedHidden)
                .orElse(false);
    }

    private static boolean chainPasses(List<RepairNodeRow> tree, RepairNodeRow root, int k) {
        Map<Integer, List<RepairNodeRow>> children = new HashMap<>();
        for (RepairNodeRow node : tree) {
            if (node.parentId() != null) {
                children.computeIfAbsent(node.parentId(), p -> new ArrayList<>())
                        .add(node);
            }
        }
        List<RepairNodeRow> frontier = new ArrayList<>(List.of(root));
        while (!frontier.isEmpty()) {
            RepairNodeRow node = frontier.removeLast();
            if (node.turn() <= k && node.passedHidden()) {
                return true;
            }
            frontier.addAll(children.getOrDefault(node.nodeId(), List.of()));
        }
        return false;
    }

    private static String key(int k) {
        return Integer.toString(k);
    }

    private static double share(long part, long whole) {
        return whole == 0 ? 0.0 : (double) part / whole;
    }
}
