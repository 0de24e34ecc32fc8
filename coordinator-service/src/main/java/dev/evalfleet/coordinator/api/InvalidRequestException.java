package dev.evalfleet.coordinator.api;

import java.util.List;

/** A request that is well-formed but asks for something that cannot be done; names the fields. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.stream()
                .map(e -> e.field() + ": " + e.message())
                .reduce((a, b) -> a + "; " + b)
                .orElse(""));
        this.errors = List.copyOf(errors);
    }

    public static InvalidRequestException field(String field, String message) {
        return new InvalidRequestException(List.of(new FieldError(field, message)));
    }

    public List<FieldError> errors() {
        return errors;
    }
}
