package dev.evalfleet.worker.model;

import java.time.Instant;

/**
 * What a model answered.
 *
 * @param text the answer as it came
 * @param promptTokens tokens in the prompt, if the server reported them
 * @param completionTokens tokens generated, if the server reported them
 * @param generationMillis time the request took
 * @param generationStartedAt when the request that answered started; {@code null} when no model was asked
 */
public record ModelAnswer(
        String text,
        Integer promptTokens,
        Integer completionTokens,
        long generationMillis,
        Instant generationStartedAt) {

    /** An answer whose request was not timed (yet). */
    public ModelAnswer(String text, Integer promptTokens, Integer completionTokens, long generationMillis) {
        this(text, promptTokens, completionTokens, generationMillis, null);
    }
}
