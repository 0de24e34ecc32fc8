package dev.evalfleet.coordinator.result;

/**
 * One problem of a job: the prompt the model was given and how its samples fared (the samples
 * themselves are paged by {@code /samples}).
 */
public record JobProblemView(String problem, String entryPoint, String prompt, ProblemResult result) {}
