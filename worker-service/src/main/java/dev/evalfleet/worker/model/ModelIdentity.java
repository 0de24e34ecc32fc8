package dev.evalfleet.worker.model;

/**
 * What a model server says about a model it serves; {@code null} for what it does not say.
 *
 * @param digest the model's digest (Ollama)
 * @param details what else identifies the model, as {@code key=value} pairs
 * @param serverVersion the server's version
 */
public record ModelIdentity(String digest, String details, String serverVersion) {

    /** Nothing known: no server, or it did not answer. */
    public static final ModelIdentity UNKNOWN = new ModelIdentity(null, null, null);
}
