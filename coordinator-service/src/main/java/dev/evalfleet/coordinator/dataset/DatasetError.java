package dev.evalfleet.coordinator.dataset;

/**
 * One thing wrong with an uploaded dataset.
 *
 * @param line 1-based line of the file where the record starts; {@code null} for the file as a whole
 * @param field the field at fault, or {@code null}
 * @param message what is wrong
 */
public record DatasetError(Integer line, String field, String message) {}
