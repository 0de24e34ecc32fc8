package dev.evalfleet.scoring.execution;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.scoring.ScoringProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks requests against the service's limits. The contract records carry no Bean Validation
 * annotations (contracts stays free of framework dependencies), so the rules live here.
 */
@Component
class ExecutionRequestValidator {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final ScoringProperties.Execution limits;

    ExecutionRequestValidator(ScoringProperties properties) {
        this.limits = properties.execution();
    }

    void validate(ExecutionRequest request) {
        throwIfAny(problems(request, ""));
    }

    void validateBatch(List<ExecutionRequest> requests) {
        if (requests.size() > limits.maxBatchSize()) {
            throwIfAny(List.of(new FieldProblem(
                    "batch", "must hold at most " + limits.maxBatchSize() + " requests, was " + requests.size())));
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            problems.addAll(problems(requests.get(i), "[" + i + "]."));
        }
        throwIfAny(problems);
    }

    private List<FieldProblem> problems(ExecutionRequest request, String prefix) {
        List<FieldProblem> problems = new ArrayList<>();
        if (request == null) {
            problems.add(new FieldProblem(
                    prefix.isEmpty() ? "request" : prefix.substring(0, prefix.length() - 1), "must not be null"));
            return problems;
        }
        if (request.program() == null || request.program().isBlank()) {
            problems.add(new FieldProblem(prefix + "program", "must not be blank"));
        } else if (utf8Size(request.program()) > limits.maxProgramSize().toBytes()) {
            problems.add(new FieldProblem(
                    prefix + "program",
                    "must be at most " + limits.maxProgramSize().toBytes() + " bytes, was "
                            + utf8Size(request.program())));
        }
        problems.addAll(testProblems(request.tests(), prefix + "tests"));
        Double timeout = request.timeoutSeconds();
        double maxSeconds = limits.maxTimeout().toMillis() / 1000.0;
        if (timeout != null && (timeout.isNaN() || timeout <= 0)) {
            problems.add(new FieldProblem(prefix + "timeoutSeconds", "must be greater than 0"));
        } else if (timeout != null && timeout > maxSeconds) {
            problems.add(new FieldProblem(prefix + "timeoutSeconds", "must be at most " + maxSeconds));
        }
        return problems;
    }

    private List<FieldProblem> testProblems(TestSuite tests, String field) {
        if (tests == null) {
            return List.of(new FieldProblem(field, "must not be null"));
        }
        List<FieldProblem> problems = new ArrayList<>();
        boolean check = tests.hasCheckFunction();
        boolean asserts = !tests.asserts().isEmpty();
        if (check && asserts) {
            problems.add(new FieldProblem(field, "must have either checkProgram or asserts, not both"));
        } else if (!check && !asserts) {
            problems.add(new FieldProblem(field, "must have a checkProgram or asserts"));
        }
        for (int i = 0; i < tests.asserts().size(); i++) {
            String test = tests.asserts().get(i);
            if (test == null || test.isBlank()) {
                problems.add(new FieldProblem(field + ".asserts[" + i + "]", "must not be blank"));
            }
        }
        if (check
                && (tests.entryPoint() == null
                        || !IDENTIFIER.matcher(tests.entryPoint()).matches())) {
            problems.add(new FieldProblem(field + ".entryPoint", "must be a Python identifier"));
        }
        long size = utf8Size(tests.setup())
                + utf8Size(tests.checkProgram())
                + tests.asserts().stream()
                        .mapToLong(ExecutionRequestValidator::utf8Size)
                        .sum();
        if (size > limits.maxProgramSize().toBytes()) {
            problems.add(new FieldProblem(
                    field, "must be at most " + limits.maxProgramSize().toBytes() + " bytes, was " + size));
        }
        return problems;
    }

    private static long utf8Size(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidExecutionRequestException(problems);
        }
    }
}
