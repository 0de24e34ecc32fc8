package dev.evalfleet.coordinator.api;

import dev.evalfleet.coordinator.upload.InvalidUploadException;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/** Turns every error of the API into RFC 9457 problem details that name the field or line at fault. */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler
    ProblemDetail notFound(NotFoundException e) {
        return ProblemDetails.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail conflict(ConflictException e) {
        return ProblemDetails.of(HttpStatus.CONFLICT, "conflict", "Not possible in the current state", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e) {
        String detail = e instanceof BadCredentialsException || e instanceof OAuth2AuthenticationException
                ? e.getMessage()
                : "This needs an API key or token: send it as 'Authorization: Bearer <key>'";
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"evalfleet\"")
                .body(ProblemDetails.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Not authenticated", detail));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> rateLimited(RateLimitedException e) {
        ProblemDetail problem =
                ProblemDetails.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests", e.getMessage());
        problem.setProperty("limit", "requestsPerMinute");
        problem.setProperty("allowed", e.allowed());
        problem.setProperty("current", e.allowed());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .body(problem);
    }

    @ExceptionHandler
    ProblemDetail forbidden(ForbiddenException e) {
        return ProblemDetails.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail quotaExceeded(QuotaExceededException e) {
        ProblemDetail problem =
                ProblemDetails.of(HttpStatus.UNPROCESSABLE_CONTENT, "quota-exceeded", "Quota exceeded", e.getMessage());
        problem.setProperty("limit", e.limit());
        problem.setProperty("allowed", e.allowed());
        problem.setProperty("current", e.current());
        problem.setProperty("requested", e.requested());
        return problem;
    }

    @ExceptionHandler
    ProblemDetail invalidRequest(InvalidRequestException e) {
        return ProblemDetails.withErrors(
                HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage(), e.errors());
    }

    @ExceptionHandler
    ProblemDetail invalidUpload(InvalidUploadException e) {
        String title = "Invalid " + e.what();
        return ProblemDetails.withErrors(
                HttpStatus.BAD_REQUEST, "invalid-" + e.what().replace(' ', '-'), title, e.getMessage(), e.errors());
    }

    @ExceptionHandler
    ProblemDetail tooLarge(PayloadTooLargeException e) {
        return ProblemDetails.of(HttpStatus.CONTENT_TOO_LARGE, "too-large", "Upload too large", e.getMessage());
    }

    @ExceptionHandler
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String message = "must be a valid "
                + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName());
        return ProblemDetails.withErrors(
                HttpStatus.BAD_REQUEST,
                "invalid-request",
                "Invalid request",
                e.getName() + ": " + message,
                List.of(new FieldError(e.getName(), message)));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new FieldError(error.getField(), error.getDefaultMessage()))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return ResponseEntity.badRequest()
                .body(ProblemDetails.withErrors(
                        HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail, errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem;
        if (e.getCause() instanceof JacksonException jackson
                && !jackson.getPath().isEmpty()) {
            String field = jsonPath(jackson.getPath());
            problem = ProblemDetails.withErrors(
                    HttpStatus.BAD_REQUEST,
                    "malformed-request",
                    "Malformed request body",
                    field + ": " + jackson.getOriginalMessage(),
                    List.of(new FieldError(field, jackson.getOriginalMessage())));
        } else {
            String reason =
                    e.getCause() instanceof JacksonException jackson ? jackson.getOriginalMessage() : e.getMessage();
            problem = ProblemDetails.of(
                    HttpStatus.BAD_REQUEST,
                    "malformed-request",
                    "Malformed request body",
                    "Body is not valid JSON: " + reason);
        }
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .body(ProblemDetails.of(
                        HttpStatus.CONTENT_TOO_LARGE,
                        "too-large",
                        "Upload too large",
                        "The upload exceeds the size limit"));
    }

    private static String jsonPath(List<JacksonException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference reference : path) {
            if (reference.getPropertyName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }
}
