package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Consumes results from workers, and tasks the broker gave up on. */
@Component
class TaskResultListener {

    private static final Logger log = LoggerFactory.getLogger(TaskResultListener.class);

    private final TaskResults results;
    private final JsonMapper json;

    TaskResultListener(TaskResults results, JsonMapper json) {
        this.results = results;
        this.json = json;
    }

    @RabbitListener(queues = Messaging.RESULT_QUEUE)
    void onResult(TaskResult result) {
        results.record(result);
    }

    /** A task that exhausted its deliveries or could not be read ends FAILED, with the reason. */
    @RabbitListener(queues = Messaging.TASK_DEAD_LETTER_QUEUE)
    void onDeadLetteredTask(Message message) {
        String reason = "dead-lettered by the broker: " + deathReason(message);
        try {
            TaskMessage task = json.readValue(new String(message.getBody(), StandardCharsets.UTF_8), TaskMessage.class);
            results.fail(task.taskId(), reason);
        } catch (JacksonException e) {
            log.error("Dead-lettered task message {} cannot be read; dropping it", message.getMessageProperties().getMessageId(), e);
        }
    }

    private static String deathReason(Message message) {
        Object deaths = message.getMessageProperties().getHeaders().get("x-death");
        if (deaths instanceof List<?> list && !list.isEmpty() && list.getFirst() instanceof Map<?, ?> death) {
            return death.get("reason") + " after " + death.get("count") + " deliveries";
        }
        Object reason = message.getMessageProperties().getHeaders().get("x-first-death-reason");
        return reason == null ? "unknown" : reason.toString();
    }
}
