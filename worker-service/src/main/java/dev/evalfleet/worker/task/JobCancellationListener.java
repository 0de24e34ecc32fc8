package dev.evalfleet.worker.task;

import dev.evalfleet.contracts.JobCancelled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes the coordinator's {@link JobCancelled} broadcasts: remembers the job, so its queued tasks
 * are dropped when they arrive, and interrupts its tasks in flight.
 */
@Component
class JobCancellationListener {

    static final String LISTENER_ID = "job-cancellations";

    /** Where the coordinator names the contract type of a message. */
    private static final String TYPE_HEADER = "__TypeId__";

    private static final Logger log = LoggerFactory.getLogger(JobCancellationListener.class);

    private final JsonMapper jsonMapper;
    private final CancelledJobs cancelledJobs;
    private final TasksInFlight tasks;

    JobCancellationListener(JsonMapper jsonMapper, CancelledJobs cancelledJobs, TasksInFlight tasks) {
        this.jsonMapper = jsonMapper;
        this.cancelledJobs = cancelledJobs;
        this.tasks = tasks;
    }

    @RabbitListener(
            id = LISTENER_ID,
            queues = "#{controlQueue.name}",
            containerFactory = "controlListenerContainerFactory")
    void onControlMessage(Message message) {
        Object type = message.getMessageProperties().getHeaders().get(TYPE_HEADER);
        if (type != null && !JobCancelled.class.getName().equals(type)) {
            log.debug("Ignoring control message of type {}", type);
            return;
        }
        JobCancelled cancelled;
        try {
            cancelled = jsonMapper.readValue(message.getBody(), JobCancelled.class);
        } catch (JacksonException unreadable) {
            log.warn("Ignoring unreadable control message: {}", unreadable.getOriginalMessage());
            return;
        }
        if (cancelled == null || cancelled.jobId() == null) {
            log.warn("Ignoring control message without a jobId");
            return;
        }
        log.info("Job {} was cancelled: dropping its tasks", cancelled.jobId());
        // Remembered first: a task that starts now either sees the job here or is interrupted below.
        cancelledJobs.add(cancelled.jobId());
        tasks.cancelJob(cancelled.jobId());
    }
}
