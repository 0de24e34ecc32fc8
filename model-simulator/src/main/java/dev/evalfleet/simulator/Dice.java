package dev.evalfleet.simulator;

/**
 * Deterministic draws keyed by request number, so the same seed and arrival order give the same
 * jitter and the same failed requests in every run, however the requests are spread over threads.
 */
record Dice(long seed) {

    static final long JITTER = 1;
    static final long FAILURE = 2;

    /** A number in {@code [0, 1)} for the given request and purpose. */
    double roll(long requestNumber, long purpose) {
        long z = mix(seed ^ mix(requestNumber * 0x9E3779B97F4A7C15L + purpose));
        return (z >>> 11) * 0x1.0p-53;
    }

    // SplitMix64's finaliser: small, well distributed, and the same on every JVM.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
