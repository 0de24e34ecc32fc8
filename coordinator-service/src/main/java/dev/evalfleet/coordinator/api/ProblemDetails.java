package dev.evalfleet.coordinator.api;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds the RFC 9457 problem details every error response of the API uses. */
public final class ProblemDetails {

    private static final String TYPE_BASE = "https://evalfleet.dev/problems/";

    private ProblemDetails() {}

    /** A problem of the given status; {@code type} is a short slug such as {@code invalid-dataset}. */
    public static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    /** The same, with an {@code errors} list naming each offending field or line. */
    public static ProblemDetail withErrors(
            HttpStatus status, String type, String title, String detail, List<?> errors) {
        ProblemDetail problem = of(status, type, title, detail);
        problem.setProperty("errors", errors);
        return problem;
    }
}
