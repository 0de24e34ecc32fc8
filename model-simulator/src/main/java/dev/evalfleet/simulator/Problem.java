package dev.evalfleet.simulator;

import java.util.Objects;

/**
 * One programming problem of a dataset, as the stand-in model knows it.
 *
 * @param prompt what identifies the problem in a chat: HumanEval's code prefix, or an MBPP-shaped
 *     problem's description
 * @param canonicalSolution the reference: a completion of the prompt, or for MBPP's shapes a whole
 *     program
 * @param test the dataset's test, if it has one; the stand-in does not use it
 * @param wholeProgram whether {@code canonicalSolution} is a whole program (MBPP, MBPP+) rather than
 *     a completion of the prompt (HumanEval, HumanEval+)
 */
public record Problem(
        String taskId, String prompt, String canonicalSolution, String test, String entryPoint, boolean wholeProgram) {

    public Problem {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(canonicalSolution, "canonicalSolution");
        Objects.requireNonNull(entryPoint, "entryPoint");
    }

    /** A HumanEval-shaped problem: the solution completes the prompt. */
    public Problem(String taskId, String prompt, String canonicalSolution, String test, String entryPoint) {
        this(taskId, prompt, canonicalSolution, test, entryPoint, false);
    }

    /** The whole correct program for this problem. */
    String wholeSolution() {
        return wholeProgram ? canonicalSolution : prompt + canonicalSolution;
    }
}
