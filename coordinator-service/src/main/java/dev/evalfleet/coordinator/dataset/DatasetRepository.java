package dev.evalfleet.coordinator.dataset;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface DatasetRepository extends JpaRepository<DatasetEntity, UUID> {

    List<DatasetEntity> findAllByOrderByCreatedAtDesc();

    Optional<DatasetEntity> findFirstByNameOrderByCreatedAtDesc(String name);
}
