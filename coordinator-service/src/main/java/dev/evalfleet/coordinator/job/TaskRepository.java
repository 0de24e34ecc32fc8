package dev.evalfleet.coordinator.job;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface TaskRepository extends JpaRepository<TaskEntity, UUID> {

    long countByJobIdAndStateNotIn(UUID jobId, Collection<TaskState> states);

    long countByJobIdAndState(UUID jobId, TaskState state);

    List<TaskEntity> findByJobIdAndStateOrderByOrdinal(UUID jobId, TaskState state);

    default List<TaskEntity> findByJobIdAndState(UUID jobId, TaskState state) {
        return findByJobIdAndStateOrderByOrdinal(jobId, state);
    }

    @Modifying
    @Query(
            "update TaskEntity t set t.state = 'QUEUED', t.publishedAt = CURRENT_TIMESTAMP where t.id in :taskIds and t.state = 'PENDING'")
    int markQueued(Collection<UUID> taskIds);

    @Modifying
    @Query(
            "update TaskEntity t set t.state = 'CANCELLED', t.finishedAt = CURRENT_TIMESTAMP where t.jobId = :jobId and t.state in ('PENDING', 'QUEUED')")
    int cancelUnfinished(UUID jobId);

    @Query("select t.id from TaskEntity t where t.jobId = :jobId and t.state in :states")
    List<UUID> idsOfJobInStates(UUID jobId, Collection<TaskState> states);

    List<TaskEntity> findByJobIdInAndStateOrderByOrdinal(Collection<UUID> jobIds, TaskState state);

    /** Rows of (job id, state, count) for the jobs. */
    @Query("select t.jobId, t.state, count(t) from TaskEntity t where t.jobId in :jobIds group by t.jobId, t.state")
    List<Object[]> countByStateOfJobs(Collection<UUID> jobIds);
}
