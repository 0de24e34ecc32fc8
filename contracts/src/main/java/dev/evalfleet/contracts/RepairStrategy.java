package dev.evalfleet.contracts;

/**
 * How a task draws its answers. {@code single}: n independent samples (the default). {@code murphy}:
 * multi-turn self-repair, a tree of attempts where each failed attempt is shown its execution
 * feedback and asked to fix itself (arXiv 2511.07833).
 *
 * @param type {@code single} or {@code murphy}
 * @param candidates turn-1 candidates per problem (G)
 * @param turns turns including the first (S)
 * @param pruningBudget failed nodes of a turn that get a child (b)
 * @param credit the credit the tree reports as a node's {@code credit}: {@code mars} or {@code mers};
 *     both are computed and stored
 * @param gamma discount of MeRS
 * @param feedback {@code visible} (only tests the model may see) or {@code full} (the hidden tests:
 *     oracle feedback)
 */
public record RepairStrategy(
        String type, int candidates, int turns, int pruningBudget, String credit, double gamma, String feedback) {

    public static final String SINGLE = "single";
    public static final String MURPHY = "murphy";
    public static final String MARS = "mars";
    public static final String MERS = "mers";
    public static final String VISIBLE = "visible";
    public static final String FULL = "full";

    public static RepairStrategy murphyDefaults() {
        return new RepairStrategy(MURPHY, 4, 2, 3, MARS, 0.9, VISIBLE);
    }

    public boolean repairs() {
        return MURPHY.equals(type);
    }

    /** Whether the model is shown feedback from the hidden tests, which makes every number an oracle number. */
    public boolean oracleFeedback() {
        return FULL.equals(feedback);
    }
}
