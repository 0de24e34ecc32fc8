package dev.evalfleet.coordinator.job;

import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface JobRepository extends JpaRepository<JobEntity, UUID> {

    Page<JobEntity> findAllByOrderByCreatedAtDesc(Pageable page);

    /** Marks the queued jobs of these tasks RUNNING, once their first task is published. */
    @Modifying
    @Query(
            "update JobEntity j set j.status = 'RUNNING', j.startedAt = CURRENT_TIMESTAMP where j.status = 'QUEUED' and j.id in (select t.jobId from TaskEntity t where t.id in :taskIds)")
    int markRunning(Collection<UUID> taskIds);

    /** Locks the job row, so results of one job are recorded one at a time and completion is seen once. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select j from JobEntity j where j.id = :id")
    Optional<JobEntity> findForUpdate(UUID id);

    long countByCreatedByAndStatusIn(String createdBy, Collection<JobStatus> statuses);

    /** Model requests (samples × problems) of a caller's tasks not yet done. */
    @Query(
            value = "select coalesce(sum(j.samples_per_problem), 0) from task t join job j on j.id = t.job_id"
                    + " where j.created_by = :caller and j.status in ('QUEUED', 'RUNNING')"
                    + " and t.state in ('PENDING', 'QUEUED') and j.endpoint <> :samplesEndpoint",
            nativeQuery = true)
    long queuedRequestsOf(String caller, String samplesEndpoint);

    /** Serialises the job creations of one caller, so two at once cannot both pass its quotas. */
    @Query(
            value = "select count(*) from (select pg_advisory_xact_lock(hashtext('job-quota:' || :caller))) locked",
            nativeQuery = true)
    long lockQuotasOf(String caller);
}
