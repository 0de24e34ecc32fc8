package dev.evalfleet.scoring.sandbox;

/**
 * One line the service writes to a fork server ({@code zygote.py}): a run, or a probe.
 *
 * @param nonce the run's secret; only report records carrying it count
 * @param job what to run
 * @param timeoutMillis the run's wall-clock deadline
 * @param cpuLimitMillis the CPU time the run's program may use; 0 for none but its rlimit
 * @param outputLimit bytes kept of the output and of the report channel each
 * @param tmpfs the run's private working directory
 * @param probe {@code true} asks only for the interpreter's version
 */
record ForkServerRequest(
        String nonce,
        RunnerJob job,
        long timeoutMillis,
        long cpuLimitMillis,
        long outputLimit,
        Tmpfs tmpfs,
        Boolean probe) {

    record Tmpfs(long size, int inodes) {}

    static ForkServerRequest probing() {
        return new ForkServerRequest(null, null, 0, 0, 0, null, true);
    }
}
