package dev.evalfleet.coordinator.sample;

/**
 * The time limits one rule set for a job's samples.
 *
 * @param rule {@code fixed}, {@code calibrated} or {@code default} (see {@code TimeLimit})
 * @param samples samples whose scoring run had a limit set by this rule
 * @param minSeconds the smallest of those limits
 * @param maxSeconds the largest of those limits
 */
public record AppliedTimeLimits(String rule, long samples, double minSeconds, double maxSeconds) {}
