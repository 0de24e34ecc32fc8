package dev.evalfleet.worker.task;

import com.rabbitmq.client.Channel;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Consumes task messages with manual acknowledgement: a task is acked only after its result was
 * confirmed by the broker, nacked with requeue when it was not (or the worker stopped before it was
 * done), acked without a result when its job was cancelled, and rejected without requeue (so it is
 * dead-lettered) when it cannot be read at all.
 */
@Component
class TaskListener {

    static final String LISTENER_ID = "tasks";

    private static final Logger log = LoggerFactory.getLogger(TaskListener.class);

    private final JsonMapper jsonMapper;
    private final TasksInFlight tasks;
    private final CancelledJobs cancelledJobs;
    private final ResultPublisher publisher;
    private final TaskActivity activity;
    private final MeterRegistry meterRegistry;

    TaskListener(
            JsonMapper jsonMapper,
            TasksInFlight tasks,
            CancelledJobs cancelledJobs,
            ResultPublisher publisher,
            TaskActivity activity,
            MeterRegistry meterRegistry) {
        this.jsonMapper = jsonMapper;
        this.tasks = tasks;
        this.cancelledJobs = cancelledJobs;
        this.publisher = publisher;
        this.activity = activity;
        this.meterRegistry = meterRegistry;
    }

    @RabbitListener(id = LISTENER_ID, queues = "#{taskQueue.name}", containerFactory = "taskListenerContainerFactory")
    void onTask(Message message, Channel channel) throws IOException {
        Instant receivedAt = Instant.now();
        long deliveryTag = message.getMessageProperties().getDeliveryTag();
        Optional<TaskMessage> task = read(message);
        if (task.isEmpty()) {
            channel.basicReject(deliveryTag, false);
            count("rejected");
            return;
        }
        if (cancelledJobs.contains(task.get().jobId())) {
            drop(channel, deliveryTag, task.get());
            return;
        }
        activity.started();
        boolean acknowledged = false;
        try {
            TaskResult result = tasks.run(task.get(), Delivery.of(message.getMessageProperties(), receivedAt));
            if (publisher.publish(result)) {
                channel.basicAck(deliveryTag, false);
                acknowledged = true;
                count(result.outcome().name().toLowerCase());
            } else {
                channel.basicNack(deliveryTag, false, true);
                count("requeued");
            }
        } catch (TaskDroppedException dropped) {
            if (dropped.jobCancelled()) {
                drop(channel, deliveryTag, task.get());
            } else {
                requeue(channel, deliveryTag, task.get(), dropped);
            }
        } catch (InterruptedException stopping) {
            // Requeue first: an interrupted virtual thread would lose the channel's socket on the write.
            requeue(channel, deliveryTag, task.get(), stopping);
            Thread.currentThread().interrupt();
        } catch (RuntimeException unexpected) {
            // A bug, not a model or scoring failure (those become FAILED results): let the delivery
            // limit decide whether another attempt, or the dead-letter queue, sees the task.
            requeue(channel, deliveryTag, task.get(), unexpected);
        } finally {
            activity.finished(acknowledged);
        }
    }

    private Optional<TaskMessage> read(Message message) {
        try {
            TaskMessage task = jsonMapper.readValue(message.getBody(), TaskMessage.class);
            String problem = problemWith(task);
            if (problem == null) {
                return Optional.of(task);
            }
            log.warn(
                    "Rejecting task message {}: {}",
                    message.getMessageProperties().getMessageId(),
                    problem);
        } catch (JacksonException unreadable) {
            log.warn(
                    "Rejecting unreadable task message {}: {}",
                    message.getMessageProperties().getMessageId(),
                    unreadable.getOriginalMessage());
        }
        return Optional.empty();
    }

    /** What makes a task impossible to work on, or {@code null} when nothing does. */
    static String problemWith(TaskMessage task) {
        if (task == null || task.taskId() == null || task.jobId() == null) {
            return "taskId and jobId are required";
        }
        if (task.samples() < 1) {
            return "samples must be at least 1";
        }
        var problem = task.problem();
        if (problem == null
                || problem.format() == null
                || problem.prompt() == null
                || problem.entryPoint() == null
                || problem.tests() == null) {
            return "problem with format, prompt, entryPoint and tests is required";
        }
        return null;
    }

    /** A task of a cancelled job: acknowledged without a result, the coordinator marked it cancelled. */
    private void drop(Channel channel, long deliveryTag, TaskMessage task) throws IOException {
        log.info("Dropping task {} of cancelled job {}", task.taskId(), task.jobId());
        channel.basicAck(deliveryTag, false);
        count("cancelled");
    }

    private void requeue(Channel channel, long deliveryTag, TaskMessage task, Exception cause) throws IOException {
        log.warn("Returning task {} to the queue: {}", task.taskId(), cause.toString());
        channel.basicNack(deliveryTag, false, true);
        count("requeued");
    }

    private void count(String outcome) {
        meterRegistry.counter("evalfleet.worker.tasks", "outcome", outcome).increment();
    }
}
