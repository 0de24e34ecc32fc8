package dev.evalfleet.coordinator.dataset;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ProblemRepository extends JpaRepository<ProblemEntity, UUID> {

    List<ProblemEntity> findByDatasetIdOrderByOrdinal(UUID datasetId);
}
