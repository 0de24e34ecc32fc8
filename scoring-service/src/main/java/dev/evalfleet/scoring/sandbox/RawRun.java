package dev.evalfleet.scoring.sandbox;

import java.util.List;

/**
 * What a sandbox hands back of a run, before it is judged.
 *
 * @param records the runner's records that carried the run's nonce
 * @param timedOut whether a time limit ended the run
 * @param exitCode the process's exit code (128 + signal)
 * @param output what the program wrote, capped
 * @param millis wall time of the run
 */
record RawRun(List<RunnerRecord> records, boolean timedOut, int exitCode, String output, long millis) {}
