package dev.evalfleet.coordinator.api;

/** One invalid field of a request. */
public record FieldError(String field, String message) {}
