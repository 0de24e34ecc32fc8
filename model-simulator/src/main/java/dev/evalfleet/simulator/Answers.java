package dev.evalfleet.simulator;

/** The texts the stand-in answers with, shaped the way real models shape theirs. */
final class Answers {

    static final String WRONG_ANSWER_ERROR = "stand-in wrong answer";

    private Answers() {}

    /**
     * A correct answer in one of three shapes real models produce, chosen by {@code variant}, so an
     * evaluation exercises its extraction: prose then a fenced whole function, a fenced body only,
     * and a bare whole function without a fence.
     */
    static String correct(Problem problem, int variant) {
        return switch (Math.floorMod(variant, 3)) {
            case 0 ->
                "Here is an implementation of `" + problem.entryPoint() + "`:\n\n" + fenced(problem.wholeSolution());
            case 1 -> fenced(problem.canonicalSolution());
            default -> problem.wholeSolution();
        };
    }

    /**
     * A whole function that fails every test: the prompt (so imports, helpers and the entry point's
     * signature are all there) with a body that raises, whatever the arguments. An MBPP-shaped
     * problem's prompt is prose, so there the function is written whole.
     */
    static String wrong(Problem problem) {
        if (problem.wholeProgram()) {
            return "Here is my solution:\n\n"
                    + fenced("def " + problem.entryPoint() + "(*args, **kwargs):\n    raise ValueError(\""
                            + WRONG_ANSWER_ERROR + "\")\n");
        }
        String prompt = problem.prompt().endsWith("\n") ? problem.prompt() : problem.prompt() + "\n";
        return "Here is my solution:\n\n" + fenced(prompt + "    raise ValueError(\"" + WRONG_ANSWER_ERROR + "\")\n");
    }

    /** The answer when no known problem's prompt occurs in the request. */
    static String unknown() {
        return "I do not know this problem: I am the evalfleet model simulator, a stand-in that only "
                + "answers problems from the datasets it was started with.";
    }

    private static String fenced(String code) {
        String body = code.endsWith("\n") ? code : code + "\n";
        return "```python\n" + body + "```\n";
    }
}
