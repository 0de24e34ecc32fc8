package dev.evalfleet.coordinator.statistics;

/**
 * A mean over problems with its standard error and its 95 % percentile-bootstrap interval [low, high].
 */
public record Estimate(double value, double standardError, double low, double high) {}
