package dev.evalfleet.coordinator.job;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The job feature's facade for what a job asked for. */
@Service
public class JobDefinitions {

    private final JobRepository jobs;
    private final TaskRepository tasks;

    JobDefinitions(JobRepository jobs, TaskRepository tasks) {
        this.jobs = jobs;
        this.tasks = tasks;
    }

    @Transactional(readOnly = true)
    public Optional<JobDefinition> of(UUID jobId) {
        return jobs.findById(jobId)
                .map(job -> new JobDefinition(
                        job.id(),
                        job.datasetId(),
                        job.endpoint(),
                        job.model(),
                        job.samplesPerProblem(),
                        job.generation(),
                        job.timeoutSeconds(),
                        job.strategy(),
                        job.status(),
                        taskCount(jobId),
                        job.createdAt(),
                        job.startedAt(),
                        job.finishedAt()));
    }

    private int taskCount(UUID jobId) {
        return tasks.countByStateOfJobs(List.of(jobId)).stream()
                .mapToInt(row -> ((Number) row[2]).intValue())
                .sum();
    }
}
