package dev.evalfleet.coordinator.sample;

/** How many samples a problem (task) has, and how many of them passed. */
public record SampleCount(int samples, int passed) {}
