package dev.evalfleet.worker.scoring;

/**
 * How the scoring service runs programs, as its {@code /actuator/info} tells; {@code null} for what it
 * does not tell.
 *
 * @param mode how runs are isolated ({@code bubblewrap}, {@code unsandboxed})
 * @param python version of the interpreter that runs them
 */
public record ScoringSandbox(String mode, String python) {

    /** The scoring service did not say. */
    public static final ScoringSandbox UNKNOWN = new ScoringSandbox(null, null);
}
