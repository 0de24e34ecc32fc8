package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.TestSuite;
import java.util.UUID;

/**
 * One stored problem, as other features see it.
 *
 * @param id database id
 * @param ordinal position in its dataset
 * @param taskId the dataset's own id ({@code HumanEval/0})
 * @param format how its prompt and program are built
 * @param prompt what the model is shown
 * @param entryPoint function the tests call
 * @param canonicalSolution the reference solution
 * @param tests the hidden tests
 */
public record ProblemDefinition(
        UUID id,
        int ordinal,
        String taskId,
        ProblemFormat format,
        String prompt,
        String entryPoint,
        String canonicalSolution,
        TestSuite tests) {}
