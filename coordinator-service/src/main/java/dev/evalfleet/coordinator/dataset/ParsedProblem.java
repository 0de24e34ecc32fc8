package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.TestSuite;

/** A problem read from an uploaded file, normalised to evalfleet's problem model. */
record ParsedProblem(String taskId, String prompt, String entryPoint, String canonicalSolution, TestSuite tests) {}
