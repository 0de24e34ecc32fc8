package dev.evalfleet.contracts;

/**
 * A program to run against tests, sent to the scoring service.
 *
 * @param program the complete candidate program (e.g. HumanEval prompt + completion)
 * @param tests the tests to run against it
 * @param timeoutSeconds wall-clock limit; {@code null} means the service's default
 */
public record ExecutionRequest(String program, TestSuite tests, Double timeoutSeconds) {}
