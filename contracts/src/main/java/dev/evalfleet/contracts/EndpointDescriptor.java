package dev.evalfleet.contracts;

/** A model endpoint a worker serves, as it announces it (no URL or credentials). */
public record EndpointDescriptor(String name, String provider, int maxConcurrency) {}
