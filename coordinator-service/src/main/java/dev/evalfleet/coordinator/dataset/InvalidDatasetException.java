package dev.evalfleet.coordinator.dataset;

import java.util.List;

/** An uploaded dataset that was rejected whole; carries the first errors found, by line. */
public class InvalidDatasetException extends RuntimeException {

    private final List<DatasetError> errors;

    InvalidDatasetException(List<DatasetError> errors, int totalErrors) {
        super(totalErrors == errors.size()
                ? "The dataset has " + totalErrors + " error(s); nothing was stored"
                : "The dataset has " + totalErrors + " errors, the first " + errors.size() + " are listed; nothing was stored");
        this.errors = List.copyOf(errors);
    }

    public List<DatasetError> errors() {
        return errors;
    }
}
