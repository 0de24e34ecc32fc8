package dev.evalfleet.scoring.sandbox;

/**
 * One line a fork server answers: how the run ended, or why it could not start, or its version; only
 * the fields of its kind are present.
 *
 * @param report the report channel's bytes, base64
 * @param output the program's output kept, base64
 * @param outputBytes the program's output in all
 * @param timedOut whether the wall-clock deadline or the CPU-time limit ended the run
 * @param exitCode the program's exit code (128 + signal)
 * @param millis wall time of the run
 * @param error why the run could not start; {@code null} when it ran
 * @param version the interpreter's version (probe)
 */
record ForkServerAnswer(
        String report,
        String output,
        Long outputBytes,
        Boolean timedOut,
        Integer exitCode,
        Long millis,
        String error,
        String version) {}
