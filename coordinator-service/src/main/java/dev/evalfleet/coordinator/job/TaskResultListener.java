package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.coordinator.CoordinatorProperties;
import dev.evalfleet.coordinator.outbox.Outbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Consumes results from workers, and tasks the broker gave up on. */
@Component
class TaskResultListener {

    private static final Logger log = LoggerFactory.getLogger(TaskResultListener.class);

    private final TaskResults results;
    private final JsonMapper json;
    private final Outbox outbox;
    private final RetryTemplate whileDatabaseIsDown;

    TaskResultListener(TaskResults results, JsonMapper json, Outbox outbox, CoordinatorProperties properties) {
        this.results = results;
        this.json = json;
        this.outbox = outbox;
        this.whileDatabaseIsDown = new RetryTemplate(RetryPolicy.builder()
                .includes(
                        TransientDataAccessException.class,
                        DataAccessResourceFailureException.class,
                        CannotCreateTransactionException.class)
                .maxRetries(Long.MAX_VALUE)
                .delay(Duration.ofMillis(250))
                .multiplier(2)
                .maxDelay(Duration.ofSeconds(5))
                .timeout(properties.results().databasePatience())
                .build());
    }

    @RabbitListener(queues = Messaging.RESULT_QUEUE)
    void onResult(TaskResult result) {
        recordDespiteOutages(() -> results.record(result));
    }

    /** A task that exhausted its deliveries or could not be read ends FAILED, with the reason. */
    @RabbitListener(queues = Messaging.TASK_DEAD_LETTER_QUEUE, containerFactory = "rawMessageListenerFactory")
    void onDeadLetteredTask(Message message) {
        String reason = "dead-lettered by the broker: " + deathReason(message);
        UUID taskId = taskIdOf(message);
        if (taskId == null) {
            log.error(
                    "Dead-lettered message {} names no task we know; dropping it",
                    message.getMessageProperties().getMessageId());
            return;
        }
        recordDespiteOutages(() -> results.fail(taskId, reason));
    }

    /** From the body; for a body nobody can read, from the outbox row the message was sent from. */
    private UUID taskIdOf(Message message) {
        try {
            return json.readValue(new String(message.getBody(), StandardCharsets.UTF_8), TaskMessage.class)
                    .taskId();
        } catch (JacksonException unreadable) {
            String messageId = message.getMessageProperties().getMessageId();
            if (messageId == null) {
                return null;
            }
            try {
                return outbox.taskOfMessage(UUID.fromString(messageId)).orElse(null);
            } catch (IllegalArgumentException notOurs) {
                return null;
            }
        }
    }

    /**
     * A result must not be lost because PostgreSQL is briefly away: retry in place, and if it stays
     * away, put the message back on the queue instead of dropping it.
     */
    private void recordDespiteOutages(Supplier<Boolean> recording) {
        try {
            whileDatabaseIsDown.invoke(recording);
        } catch (RuntimeException e) {
            if (e instanceof DataAccessException
                    || e.getCause() instanceof DataAccessException
                    || e instanceof TransactionException) {
                log.warn("Database unavailable; returning the message to the queue: {}", e.getMessage());
                throw new ImmediateRequeueAmqpException("database unavailable", e);
            }
            throw e;
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
