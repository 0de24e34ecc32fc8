package dev.evalfleet.coordinator.job;

import dev.evalfleet.coordinator.outbox.TasksPublished;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Moves tasks whose messages the broker confirmed to QUEUED, and their jobs to RUNNING. */
@Component
class TaskDispatch {

    private final TaskRepository tasks;
    private final JobRepository jobs;

    TaskDispatch(TaskRepository tasks, JobRepository jobs) {
        this.tasks = tasks;
        this.jobs = jobs;
    }

    @EventListener
    void onPublished(TasksPublished published) {
        if (published.taskIds().isEmpty()) {
            return;
        }
        tasks.markQueued(published.taskIds());
        jobs.markRunning(published.taskIds());
    }
}
