package dev.evalfleet.scoring.sandbox;

import java.io.IOException;

/** Where runs happen: in bubblewrap fork servers, or as plain processes (an operator's explicit choice). */
interface ProgramSandbox {

    /** How runs are isolated, as reported in every verdict and in health. */
    String name();

    /**
     * Runs the job; throws {@link RunNotStartedException} when the run could not start, with the reason
     * as the user should read it.
     */
    RawRun run(String nonce, RunnerJob job, RunBudget budget) throws RunNotStartedException, InterruptedException;

    /** The interpreter's version; throws with the reason if python cannot run. */
    String probe() throws IOException, InterruptedException;

    /** Prepares for the first runs, so that they do not pay for it. */
    default void warmUp(int runs) {}

    default void shutdown() {}
}
