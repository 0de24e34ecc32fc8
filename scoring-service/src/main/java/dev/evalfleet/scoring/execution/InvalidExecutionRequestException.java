package dev.evalfleet.scoring.execution;

import java.util.List;
import java.util.stream.Collectors;

/** A request the service will not run; answered with 400 and the fields at fault. */
public class InvalidExecutionRequestException extends RuntimeException {

    private final List<FieldProblem> problems;

    InvalidExecutionRequestException(List<FieldProblem> problems) {
        super(problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
