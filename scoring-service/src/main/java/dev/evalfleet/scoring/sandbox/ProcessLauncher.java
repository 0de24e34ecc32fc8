package dev.evalfleet.scoring.sandbox;

import java.io.IOException;

/**
 * Starts an untrusted process and tears it down again. The only place that decides how a run is
 * isolated: today a plain process in its own session, later a bubblewrap sandbox.
 */
public interface ProcessLauncher {

    /** How runs started by this launcher are isolated, reported as {@code ExecutionResult.sandbox}. */
    String sandboxName();

    /** Starts the command with exactly the given environment; stdin, stdout and stderr are pipes. */
    Process launch(LaunchSpec spec) throws IOException;

    /** Kills the process and everything it started; returns once none of them is left running. */
    void destroyTree(Process process);
}
