package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.coordinator.provenance.JobProvenance;
import dev.evalfleet.coordinator.sample.SampleStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Records what workers report: samples stored once, task and job moved to their next state. */
@Service
class TaskResults {

    private static final Logger log = LoggerFactory.getLogger(TaskResults.class);

    private final JobRepository jobs;
    private final TaskRepository tasks;
    private final SampleStore samples;
    private final JobProvenance provenance;
    private final TaskDispatcher dispatcher;

    private final Counter recorded;
    private final Counter duplicates;

    TaskResults(
            JobRepository jobs,
            TaskRepository tasks,
            SampleStore samples,
            JobProvenance provenance,
            TaskDispatcher dispatcher,
            MeterRegistry registry) {
        this.dispatcher = dispatcher;
        this.jobs = jobs;
        this.tasks = tasks;
        this.samples = samples;
        this.provenance = provenance;
        this.recorded =
                Counter.builder("evalfleet.results").tag("outcome", "recorded").register(registry);
        this.duplicates =
                Counter.builder("evalfleet.results").tag("outcome", "duplicate").register(registry);
    }

    /** Returns false when the result changed nothing: a duplicate, or for an unknown or finished task. */
    @Transactional
    boolean record(TaskResult result) {
        JobEntity job = jobs.findForUpdate(result.jobId()).orElse(null);
        TaskEntity task = tasks.findById(result.taskId()).orElse(null);
        if (job == null || task == null || !task.jobId().equals(job.id())) {
            log.warn(
                    "Dropping result {} for unknown task {} of job {}",
                    result.messageId(),
                    result.taskId(),
                    result.jobId());
            return false;
        }
        if (task.state().isTerminal()) {
            log.debug("Task {} is already {}; result {} is a duplicate", task.id(), task.state(), result.messageId());
            duplicates.increment();
            return false;
        }
        if (result.outcome() == TaskResult.Outcome.COMPLETED) {
            samples.insert(task.id(), result.workerId(), result.samples());
            task.complete(result.workerId(), result.timing());
        } else {
            task.fail(result.failureReason(), result.workerId(), result.timing());
        }
        provenance.record(job.id(), result.provenance(), Instant.now());
        finishJobIfDone(job);
        dispatcher.wakeUpAfterCommit();
        recorded.increment();
        return true;
    }

    /** Marks a task FAILED with a reason that did not come from a worker (e.g. dead-lettered). */
    @Transactional
    boolean fail(UUID taskId, String reason) {
        TaskEntity task = tasks.findById(taskId).orElse(null);
        if (task == null) {
            return false;
        }
        JobEntity job = jobs.findForUpdate(task.jobId()).orElseThrow();
        if (task.state().isTerminal()) {
            return false;
        }
        task.fail(reason, null);
        finishJobIfDone(job);
        return true;
    }

    private void finishJobIfDone(JobEntity job) {
        tasks.flush();
        if (tasks.countByJobIdAndStateNotIn(job.id(), TaskState.TERMINAL) == 0) {
            job.finish(tasks.countByJobIdAndState(job.id(), TaskState.COMPLETED) > 0);
        }
    }
}
