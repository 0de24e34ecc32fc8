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

    private int problemCount;

    private Instant createdAt;

    protected DatasetEntity() {}

    DatasetEntity(String name, ProblemFormat format, int problemCount) {
        this.name = name;
        this.format = format;
        this.problemCount = problemCount;
        this.createdAt = Instant.now();
    }

    DatasetView toView() {
        return new DatasetView(id, name, format, problemCount, createdAt);
    }

    UUID id() {
        return id;
    }
}
