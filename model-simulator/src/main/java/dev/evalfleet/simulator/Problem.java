package dev.evalfleet.simulator;

import java.util.Objects;

/** One programming problem of a HumanEval-format dataset, as the stand-in model knows it. */
public record Problem(String taskId, String prompt, String canonicalSolution, String test, String entryPoint) {

    public Problem {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(canonicalSolution, "canonicalSolution");
        Objects.requireNonNull(entryPoint, "entryPoint");
    }

    /** Prompt plus reference body: the whole correct program for this problem. */
    String wholeSolution() {
        return prompt + canonicalSolution;
    }
}
