package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.TestSuite;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "problem")
class ProblemEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    private UUID datasetId;

    private int ordinal;

    private String taskId;

    private String prompt;

    private String entryPoint;

    private String canonicalSolution;

    private String testProgram;

    private String testSetup;

    private String[] testAsserts;

    protected ProblemEntity() {}

    ProblemEntity(UUID datasetId, int ordinal, ParsedProblem problem) {
        this.datasetId = datasetId;
        this.ordinal = ordinal;
        this.taskId = problem.taskId();
        this.prompt = problem.prompt();
        this.entryPoint = problem.entryPoint();
        this.canonicalSolution = problem.canonicalSolution();
        this.testProgram = problem.tests().checkProgram();
        this.testSetup = problem.tests().setup();
        this.testAsserts = problem.tests().asserts().toArray(String[]::new);
    }

    ProblemDefinition toDefinition(ProblemFormat format) {
        TestSuite tests = new TestSuite(testSetup, testProgram, List.of(testAsserts), entryPoint);
        return new ProblemDefinition(id, ordinal, taskId, format, prompt, entryPoint, canonicalSolution, tests);
    }

    String taskId() {
        return taskId;
    }
}
