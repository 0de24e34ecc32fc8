package dev.evalfleet.scoring.execution;

import dev.evalfleet.scoring.access.ScoringTokenRejectedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The service's one advice: RFC 9457 problem details for every error. It lives with the executions
 * feature because that is the service's only HTTP API.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler
    ProblemDetail invalidRequest(InvalidExecutionRequestException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid execution request", e.getMessage());
        problem.setProperty("errors", e.problems());
        return problem;
    }

    /** Also reached from the token filter, before any controller: every path but health needs the token. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> tokenRejected(ScoringTokenRejectedException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(problem(HttpStatus.UNAUTHORIZED, "Scoring token required", e.getMessage()));
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
