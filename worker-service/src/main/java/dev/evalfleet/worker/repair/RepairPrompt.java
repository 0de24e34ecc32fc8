package dev.evalfleet.worker.repair;

import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.worker.extraction.ChatPrompt;

/**
 * The one re-prompt of self-repair, in four parts: the original problem (exactly as turn 1 showed
 * it), the previous attempt, the execution feedback on it, and the instruction to return the
 * complete corrected function. README shows this template; change both together.
 */
public final class RepairPrompt {

    static final String TEMPLATE = """
            %s

            Your previous attempt:
            ```python
            %s
            ```

            Execution feedback:
            %s

            The code above is wrong. Fix it and reply with the complete corrected function `%s`, \
            including the imports it needs, in a single ```python code block.""";

    /** Said instead of the scoring service's words when a run failed without any (should not happen). */
    static final String NO_DETAILS = "The code failed its tests; the run gave no further details.";

    private RepairPrompt() {}

    /**
     * @param previousProgram the program that ran (for HumanEval: prompt + completion)
     * @param feedback the scoring service's feedback on the feedback tests: the first failing test,
     *     expected and actual values, the traceback's first and last lines; for a timeout, that the
     *     code did not finish in time
     */
    public static ChatPrompt of(ProblemPayload problem, String previousProgram, String feedback) {
        ChatPrompt first = ChatPrompt.forProblem(problem);
        String user = TEMPLATE.formatted(
                first.user(),
                previousProgram.stripTrailing(),
                feedback == null || feedback.isBlank() ? NO_DETAILS : feedback.strip(),
                problem.entryPoint());
        return new ChatPrompt(first.system(), user);
    }
}
