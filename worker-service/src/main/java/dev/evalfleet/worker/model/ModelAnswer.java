package dev.evalfleet.worker.model;

/**
 * What a model answered.
 *
 * @param text the answer as it came
 * @param promptTokens tokens in the prompt, if the server reported them
 * @param completionTokens tokens generated, if the server reported them
 * @param generationMillis time the request took
 */
public record ModelAnswer(String text, Integer promptTokens, Integer completionTokens, long generationMillis) {}
