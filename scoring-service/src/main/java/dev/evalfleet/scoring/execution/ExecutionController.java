package dev.evalfleet.scoring.execution;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** HTTP API: run one program, or a batch of them, against their tests. */
@RestController
@RequestMapping("/api/executions")
@Tag(name = "executions", description = "Run untrusted Python programs against hidden tests")
class ExecutionController {

    static final String HUMAN_EVAL_EXAMPLE = """
            {
              "program": "def add(a, b):\\n    return a + b\\n",
              "tests": {
                "setup": "",
                "checkProgram": "def check(candidate):\\n    assert candidate(1, 2) == 3\\n    assert candidate(-1, 1) == 0\\n",
                "asserts": [],
                "entryPoint": "add"
              },
              "timeoutSeconds": 5
            }""";

    static final String MBPP_EXAMPLE = """
            {
              "program": "def square(x):\\n    return x * x\\n",
              "tests": {
                "setup": "import math",
                "checkProgram": null,
                "asserts": ["assert square(3) == 9", "assert square(-2) == 4"],
                "entryPoint": "square"
              },
              "timeoutSeconds": 5
            }""";

    private final ExecutionService executions;

    ExecutionController(ExecutionService executions) {
        this.executions = executions;
    }

    @PostMapping
    @Operation(
            summary = "Run one program against its tests",
            description = "Returns the verdict with human-eval's semantics, per-test outcomes and repair feedback.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content =
                    @Content(
                            mediaType = "application/json",
                            examples = {
                                @ExampleObject(name = "HumanEval", value = HUMAN_EVAL_EXAMPLE),
                                @ExampleObject(name = "MBPP", value = MBPP_EXAMPLE)
                            }))
    ExecutionResult execute(@RequestBody ExecutionRequest request) {
        return executions.execute(request);
    }

    @PostMapping("/batch")
    @Operation(
            summary = "Run several programs in parallel",
            description = "Returns one result per request, in the order of the requests.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content =
                    @Content(
                            mediaType = "application/json",
                            examples =
                                    @ExampleObject(
                                            name = "HumanEval and MBPP",
                                            value = "[" + HUMAN_EVAL_EXAMPLE + "," + MBPP_EXAMPLE + "]")))
    List<ExecutionResult> executeBatch(@RequestBody List<ExecutionRequest> requests) {
        return executions.executeBatch(requests);
    }
}
