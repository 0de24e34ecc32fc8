package dev.evalfleet.coordinator.upload;

/**
 * One thing wrong with an uploaded file.
 *
 * @param line 1-based line of the file where the record starts; {@code null} for the file as a whole
 * @param field the field at fault, or {@code null}
 * @param message what is wrong
 */
public record LineError(Integer line, String field, String message) {}
