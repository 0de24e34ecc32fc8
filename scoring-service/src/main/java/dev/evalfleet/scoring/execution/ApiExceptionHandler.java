package dev.evalfleet.scoring.execution;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
