package dev.evalfleet.coordinator.sample;

/** A line of an uploaded samples file: where it stood and the object as it was written. */
public record SubmittedSample(int inputLine, String original) {}
