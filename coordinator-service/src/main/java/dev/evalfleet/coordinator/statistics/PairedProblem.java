package dev.evalfleet.coordinator.statistics;

import dev.evalfleet.coordinator.sample.SampleCount;

/** One problem that two jobs have in common, with each job's samples and passes on it. */
public record PairedProblem(String problemId, SampleCount a, SampleCount b) {}
