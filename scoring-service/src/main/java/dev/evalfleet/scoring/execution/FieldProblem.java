package dev.evalfleet.scoring.execution;

/** One thing wrong with a request: the field (a JSON path such as {@code [2].tests.entryPoint}) and why. */
public record FieldProblem(String field, String message) {}
