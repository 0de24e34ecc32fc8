package dev.evalfleet.worker.model;

import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.worker.extraction.ChatPrompt;

/**
 * One chat request to a model endpoint.
 *
 * @param model model name the endpoint knows
 * @param prompt system and user message
 * @param generation sampling settings of this very sample
 * @param problem the problem asked about; only the {@code reference} provider reads it
 */
public record ModelRequest(String model, ChatPrompt prompt, GenerationSettings generation, ProblemPayload problem) {}
