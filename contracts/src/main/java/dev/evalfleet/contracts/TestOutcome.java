package dev.evalfleet.contracts;

/** Result of one test of a suite; {@code message} is empty when it passed. */
public record TestOutcome(int index, String source, boolean passed, String message) {}
