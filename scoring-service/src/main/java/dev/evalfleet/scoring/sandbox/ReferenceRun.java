package dev.evalfleet.scoring.sandbox;

import java.util.List;
import java.util.Map;

/**
 * The reference solution run on its own tests: what time limits are calibrated on and where input tests
 * take their expected outputs from.
 *
 * @param problem why the reference could not serve; {@code null} when it did
 * @param retryable whether the reference did not run at all (the sandbox was unavailable), so that
 *     another try may serve
 * @param cpuSeconds the CPU time the run took (the whole run, for tests that are a script)
 * @param outputs for input tests, its outputs, pickled, base64; {@code null} otherwise
 * @param micros for input tests, per part ({@code base}, {@code plus}), each input's CPU time
 * @param digests for input tests whose outputs were too large to carry ({@code outputs} empty), per part
 *     the digests of the outputs, base64
 */
public record ReferenceRun(
        String problem,
        boolean retryable,
        double cpuSeconds,
        String outputs,
        Map<String, List<Long>> micros,
        Map<String, String> digests) {

    public boolean served() {
        return problem == null;
    }

    /** The size this run takes in a cache, roughly, in bytes. */
    public int weight() {
        int values = micros == null
                ? 0
                : micros.values().stream().mapToInt(List::size).sum();
        int digested = digests == null
                ? 0
                : digests.values().stream().mapToInt(String::length).sum();
        return 64 + (outputs == null ? 0 : outputs.length()) + digested + 16 * values;
    }

    static ReferenceRun served(
            double cpuSeconds, String outputs, Map<String, List<Long>> micros, Map<String, String> digests) {
        return new ReferenceRun(null, false, cpuSeconds, outputs, micros, digests);
    }

    static ReferenceRun failed(String problem) {
        return new ReferenceRun(problem, false, 0, null, null, null);
    }

    static ReferenceRun notRun(String problem) {
        return new ReferenceRun(problem, true, 0, null, null, null);
    }
}
