package dev.evalfleet.simulator;

/**
 * A chat request the stand-in has matched to a problem.
 *
 * @param problem the problem whose prompt occurs in the last user message
 * @param userMessage the whole last user message, so a behaviour can look for feedback it carries
 * @param attempt how many earlier requests for this problem were answered (0-based, arrival order)
 */
public record Question(Problem problem, String userMessage, int attempt) {}
