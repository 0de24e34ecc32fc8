package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.InputTests;
import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.TestSuite;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
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

    private String reference;

    @Enumerated(EnumType.STRING)
    private InputTests.Dataset inputDataset;

    private String baseInputs;

    private String plusInputs;

    private Double atol;

    protected ProblemEntity() {}

    ProblemEntity(UUID datasetId, int ordinal, ParsedProblem problem) {
        TestSuite tests = problem.tests();
        this.datasetId = datasetId;
        this.ordinal = ordinal;
        this.taskId = problem.taskId();
        this.prompt = problem.prompt();
        this.entryPoint = problem.entryPoint();
        this.canonicalSolution = problem.canonicalSolution();
        this.testProgram = tests.hasInputs() ? problem.unjudgedTest() : tests.checkProgram();
        this.testSetup = tests.setup();
        this.testAsserts = tests.asserts().toArray(String[]::new);
        this.reference = tests.reference();
        if (tests.hasInputs()) {
            this.inputDataset = tests.inputs().dataset();
            this.baseInputs = tests.inputs().baseInputs();
            this.plusInputs = tests.inputs().plusInputs();
            this.atol = tests.inputs().atol();
        }
    }

    ProblemDefinition toDefinition(ProblemFormat format) {
        return new ProblemDefinition(id, ordinal, taskId, format, prompt, entryPoint, canonicalSolution, tests());
    }

    /** Input tests judge by the inputs alone; a HumanEval+ problem's stored check is not part of them. */
    private TestSuite tests() {
        if (inputDataset != null) {
            return TestSuite.inputs(
                    new InputTests(inputDataset, taskId, baseInputs, plusInputs, atol), entryPoint, reference);
        }
        return new TestSuite(testSetup, testProgram, List.of(testAsserts), entryPoint).withReference(reference);
    }

    String taskId() {
        return taskId;
    }
}
