package dev.evalfleet.coordinator.dataset;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface DatasetRepository extends JpaRepository<DatasetEntity, UUID> {

    List<DatasetEntity> findAllByOrderByCreatedAtDesc();

    Optional<DatasetEntity> findFirstByNameOrderByCreatedAtDesc(String name);

    long countByCreatedBy(String createdBy);

    /** Serialises the imports of one caller, so two at once cannot both pass its quota. */
    @Query(
            value = "select count(*) from (select pg_advisory_xact_lock(hashtext('dataset-quota:' || :caller))) locked",
            nativeQuery = true)
    long lockQuotasOf(String caller);
}
