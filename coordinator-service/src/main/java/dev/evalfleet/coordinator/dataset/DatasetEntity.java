package dev.evalfleet.coordinator.dataset;

import dev.evalfleet.contracts.ProblemFormat;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "dataset")
class DatasetEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.UUID)
    private UUID id;

    private String name;

    @Enumerated(EnumType.STRING)
    private ProblemFormat format;

    @Enumerated(EnumType.STRING)
    private DatasetFileFormat fileFormat;

    private boolean plusTests;

    private Long testInputs;

    private int problemCount;

    private String sha256;

    private Instant createdAt;

    private String createdBy;

    protected DatasetEntity() {}

    DatasetEntity(String name, String sha256, DatasetParser.Parsed parsed, String createdBy) {
        this.createdBy = createdBy;
        this.name = name;
        this.format = parsed.format().problemFormat();
        this.fileFormat = parsed.format();
        this.plusTests = parsed.format().plusTests();
        this.testInputs = parsed.testInputs() > 0 ? parsed.testInputs() : null;
        this.problemCount = parsed.problems().size();
        this.sha256 = sha256;
        this.createdAt = Instant.now();
    }

    DatasetView toView() {
        return new DatasetView(
                id, name, format, fileFormat, plusTests, testInputs, problemCount, sha256, createdBy, createdAt);
    }

    UUID id() {
        return id;
    }
}
