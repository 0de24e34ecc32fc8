package dev.evalfleet.worker.repair;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape and rewards of one problem's self-repair tree, and the two credits of its nodes.
 *
 * <p>MaRS (max reward): {@code mars(n) = max(r(n), max over children c of mars(c))}.
 *
 * <p>MeRS (mean reward, discounted): with {@code u(n) = r(n) + gamma * mean over children c of u(c)}
 * ({@code u(n) = r(n)} for a leaf) and {@code d(n)} the remaining depth below n (0 for a leaf, else 1 +
 * the largest d of a child), {@code mers(n) = u(n) / sum_{i=0..d(n)} gamma^i}. The divisor is the
 * largest {@code u} a subtree of that depth can reach, so MeRS lies in [0, 1] and equals the reward
 * on a leaf.
 */
public final class RepairTree {

    /** One node: its index (the sample index), its parent's index or {@code null}, its reward. */
    public record Node(int index, Integer parent, int turn, double reward) {}

    /** The two credits of a node. */
    public record Credit(double mars, double mers) {}

    private final Map<Integer, Node> nodes = new LinkedHashMap<>();
    private final Map<Integer, List<Node>> children = new HashMap<>();

    public RepairTree(List<Node> nodes) {
        for (Node node : nodes) {
            this.nodes.put(node.index(), node);
        }
        for (Node node : nodes) {
            if (node.parent() != null) {
                children.computeIfAbsent(node.parent(), p -> new ArrayList<>()).add(node);
            }
        }
    }

    List<Node> childrenOf(int index) {
        return children.getOrDefault(index, List.of());
    }

    /** Credits by node index, for every node. */
    public Map<Integer, Credit> credits(double gamma) {
        Map<Integer, Credit> credits = new LinkedHashMap<>();
        for (Node node : nodes.values()) {
            credits.put(node.index(), new Credit(mars(node), u(node, gamma) / normaliser(depth(node), gamma)));
        }
        return credits;
    }

    double mars(Node node) {
        double best = node.reward();
        for (Node child : childrenOf(node.index())) {
            best = Math.max(best, mars(child));
        }
        return best;
    }

    double u(Node node, double gamma) {
        List<Node> kids = childrenOf(node.index());
        if (kids.isEmpty()) {
            return node.reward();
        }
        double mean =
                kids.stream().mapToDouble(child -> u(child, gamma)).average().orElseThrow();
        return node.reward() + gamma * mean;
    }

    int depth(Node node) {
        return childrenOf(node.index()).stream()
                .mapToInt(child -> 1 + depth(child))
                .max()
                .orElse(0);
    }

    static double normaliser(int depth, double gamma) {
        double sum = 0;
        for (int i = 0; i <= depth; i++) {
            sum += Math.pow(gamma, i);
        }
        return sum;
    }

    /**
     * The failed nodes of {@code turn} (reward below 1) that get a child, at most {@code budget}:
     *
     * <ol>
     *   <li>group them by parent (turn-1 nodes share the problem as their parent);
     *   <li>InterP: keep the {@code budget} groups whose family varies most: the population variance
     *       of the rewards of the parent (when it is a node) and all its children, so in turn 1 the
     *       spread of the G candidates, later how much a repair moved the reward; ties go to the
     *       earlier parent;
     *   <li>IntraP: in each kept group keep at most {@code budget} siblings, ceil(b/2) with the
     *       highest reward and floor(b/2) with the lowest; ties go to the earlier node;
     *   <li>take groups in InterP order, siblings in IntraP order, until {@code budget} nodes.
     * </ol>
     *
     * With one child per node, turn 1 is one group, so the choice there is the IntraP ranking by
     * reward; from turn 2 on, every group holds one node and InterP decides.
     */
    public List<Node> toRepair(int turn, int budget) {
        Map<Integer, List<Node>> groups = new LinkedHashMap<>();
        for (Node node : nodes.values()) {
            if (node.turn() == turn && node.reward() < 1.0) {
                groups.computeIfAbsent(node.parent() == null ? -1 : node.parent(), p -> new ArrayList<>())
                        .add(node);
            }
        }
        List<Integer> parents = new ArrayList<>(groups.keySet());
        parents.sort(Comparator.comparingDouble((Integer parent) -> -familyVariance(parent))
                .thenComparingInt(parent -> parent));
        List<Node> chosen = new ArrayList<>();
        for (Integer parent : parents.subList(0, Math.min(budget, parents.size()))) {
            for (Node node : intraP(groups.get(parent), budget)) {
                if (chosen.size() < budget) {
                    chosen.add(node);
                }
            }
        }
        return chosen;
    }

    private double familyVariance(int parent) {
        List<Double> rewards = new ArrayList<>();
        if (nodes.containsKey(parent)) {
            rewards.add(nodes.get(parent).reward());
        }
        childrenOf(parent).forEach(child -> rewards.add(child.reward()));
        if (parent == -1) {
            nodes.values().stream().filter(n -> n.parent() == null).forEach(n -> rewards.add(n.reward()));
        }
        double mean =
                rewards.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return rewards.stream()
                .mapToDouble(r -> (r - mean) * (r - mean))
                .average()
                .orElse(0);
    }

    static List<Node> intraP(List<Node> siblings, int budget) {
        if (siblings.size() <= budget) {
            return siblings;
        }
        List<Node> highest = new ArrayList<>(siblings);
        highest.sort(Comparator.comparingDouble((Node n) -> -n.reward()).thenComparingInt(Node::index));
        List<Node> lowest = new ArrayList<>(siblings);
        lowest.sort(Comparator.comparingDouble(Node::reward).thenComparingInt(Node::index));
        List<Node> kept = new ArrayList<>(highest.subList(0, (budget + 1) / 2));
        for (Node node : lowest) {
            if (kept.size() >= budget) {
                break;
            }
            if (!kept.contains(node)) {
                kept.add(node);
            }
        }
        return kept;
    }
}
