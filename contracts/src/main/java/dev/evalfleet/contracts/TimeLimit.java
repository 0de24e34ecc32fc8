package dev.evalfleet.contracts;

/**
 * The time limit that applied to a run, and where it came from.
 *
 * @param rule {@code fixed}: the job's own {@code timeoutSeconds}; {@code calibrated}: {@code
 *     max(floor, factor × the reference solution's time)}; {@code default}: the service's default,
 *     where the tests carry no reference to calibrate on
 * @param seconds the limit of the whole run (for input tests: the whole run, each input having its own)
 * @param referenceSeconds what the reference solution took on the same tests; {@code null} unless
 *     calibrated
 */
public record TimeLimit(String rule, double seconds, Double referenceSeconds) {

    public static final String FIXED = "fixed";
    public static final String CALIBRATED = "calibrated";
    public static final String DEFAULT = "default";
}
