package dev.evalfleet.coordinator.job;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

interface JobRepository extends JpaRepository<JobEntity, UUID> {

    Page<JobEntity> findAllByOrderByCreatedAtDesc(Pageable page);

    /** Locks the job row, so results of one job are recorded one at a time and completion is seen once. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select j from JobEntity j where j.id = :id")
    Optional<JobEntity> findForUpdate(UUID id);
}
