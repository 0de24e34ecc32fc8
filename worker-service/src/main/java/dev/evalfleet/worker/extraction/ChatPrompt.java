package dev.evalfleet.worker.extraction;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;

/**
 * The two chat messages a model is shown for one problem. They ask for exactly the answer shape
 * {@link CompletionExtractor} reads best: one complete function in one python fence.
 */
public record ChatPrompt(String system, String user) {

    static final String SYSTEM = """
            You are an expert Python programmer. Reply with the complete Python function, including \
            the imports it needs, in a single ```python code block. Do not add example usage, tests \
            or a __main__ block.""";

    public static ChatPrompt forProblem(ProblemPayload problem) {
        return new ChatPrompt(SYSTEM, userMessage(problem));
    }

    private static String userMessage(ProblemPayload problem) {
        if (problem.format() == ProblemFormat.HUMAN_EVAL) {
            return "Complete the following Python function `%s`:\n```python\n%s\n```"
                    .formatted(problem.entryPoint(), problem.prompt().stripTrailing());
        }
        // MBPP prompts are prose; naming the function matters because the tests call it by name.
        return "%s\nName the function `%s`.".formatted(problem.prompt().strip(), problem.entryPoint());
    }
}
