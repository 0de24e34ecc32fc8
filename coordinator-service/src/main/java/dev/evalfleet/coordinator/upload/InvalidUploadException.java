package dev.evalfleet.coordinator.upload;

import java.util.List;

/** An uploaded file that was rejected whole; carries the first errors found, by line. */
public class InvalidUploadException extends RuntimeException {

    private final String what;
    private final List<LineError> errors;

    public InvalidUploadException(String what, List<LineError> errors, int totalErrors) {
        super(
                totalErrors == errors.size()
                        ? "The " + what + " has " + totalErrors + " error(s); nothing was stored"
                        : "The " + what + " has " + totalErrors + " errors, the first " + errors.size()
                                + " are listed; nothing was stored");
        this.what = what;
        this.errors = List.copyOf(errors);
    }

    /** What was uploaded, e.g. "dataset" or "samples file". */
    public String what() {
        return what;
    }

    public List<LineError> errors() {
        return errors;
    }
}
