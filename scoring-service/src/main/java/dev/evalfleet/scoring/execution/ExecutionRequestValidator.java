package dev.evalfleet.scoring.execution;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.InputTests;
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
        boolean inputs = tests.hasInputs();
        int kinds = (check ? 1 : 0) + (asserts ? 1 : 0) + (inputs ? 1 : 0);
        if (kinds > 1) {
            problems.add(new FieldProblem(field, "must have one of checkProgram, asserts and inputs, not several"));
        } else if (kinds == 0) {
            problems.add(new FieldProblem(field, "must have a checkProgram, asserts or inputs"));
        }
        if (inputs) {
            problems.addAll(inputProblems(tests, field));
        }
        for (int i = 0; i < tests.asserts().size(); i++) {
            String test = tests.asserts().get(i);
            if (test == null || test.isBlank()) {
                problems.add(new FieldProblem(field + ".asserts[" + i + "]", "must not be blank"));
            }
        }
        if ((check || inputs)
                && (tests.entryPoint() == null
                        || !IDENTIFIER.matcher(tests.entryPoint()).matches())) {
            problems.add(new FieldProblem(field + ".entryPoint", "must be a Python identifier"));
        }
        long size = utf8Size(tests.setup())
                + utf8Size(tests.checkProgram())
                + utf8Size(tests.reference())
                + tests.asserts().stream()
                        .mapToLong(ExecutionRequestValidator::utf8Size)
                        .sum()
                + (inputs
                        ? utf8Size(tests.inputs().baseInputs())
                                + utf8Size(tests.inputs().plusInputs())
                        : 0);
        if (size > limits.maxTestsSize().toBytes()) {
            problems.add(new FieldProblem(
                    field, "must be at most " + limits.maxTestsSize().toBytes() + " bytes, was " + size));
        }
        return problems;
    }

    private static List<FieldProblem> inputProblems(TestSuite tests, String field) {
        List<FieldProblem> problems = new ArrayList<>();
        InputTests inputs = tests.inputs();
        if (inputs.dataset() == null) {
            problems.add(new FieldProblem(field + ".inputs.dataset", "must be HUMANEVAL or MBPP"));
        }
        if (inputs.problemId() == null || inputs.problemId().isBlank()) {
            problems.add(new FieldProblem(field + ".inputs.problemId", "must not be blank"));
        }
        if (inputs.baseInputs() == null || !inputs.baseInputs().strip().startsWith("[")) {
            problems.add(new FieldProblem(field + ".inputs.baseInputs", "must be a JSON array of argument lists"));
        }
        if (!inputs.plusInputs().strip().startsWith("[")) {
            problems.add(new FieldProblem(field + ".inputs.plusInputs", "must be a JSON array of argument lists"));
        }
        if (!(inputs.atol() >= 0) || Double.isInfinite(inputs.atol())) {
            problems.add(new FieldProblem(field + ".inputs.atol", "must be a finite number of at least 0"));
        }
        if (tests.reference() == null || tests.reference().isBlank()) {
            problems.add(new FieldProblem(
                    field + ".reference",
                    "must hold the reference solution: input tests take their expected outputs from it"));
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
