package dev.evalfleet.coordinator.outbox;

import dev.evalfleet.contracts.JobCancelled;
import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.TaskMessage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The write side of the transactional outbox: a message to publish is stored in the same transaction
 * as the rows it announces, and {@link OutboxRelay} publishes it after the commit.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final OutboxRelay relay;

    Outbox(JdbcClient jdbc, JsonMapper json, OutboxRelay relay) {
        this.jdbc = jdbc;
        this.json = json;
        this.relay = relay;
    }

    /**
     * Stores a task's message, held until the dispatcher {@link #release releases} it. Must run inside
     * the caller's transaction, so the message exists only if the task does.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueueTask(UUID taskId, TaskMessage message) {
        enqueue(taskId, Messaging.TASK_EXCHANGE, Messaging.TASK_ROUTING_KEY, message, true);
    }

    /** Lets the relay publish these tasks' held messages, as soon as the caller's transaction commits. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void release(Collection<UUID> taskIds) {
        if (taskIds.isEmpty()) {
            return;
        }
        jdbc.sql("update outbox_message set held = false where held and task_id = any(:tasks)")
                .param("tasks", taskIds.toArray(UUID[]::new))
                .update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                relay.wakeUp();
            }
        });
    }

    /** A broadcast to every worker, published after the caller's transaction commits. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueueBroadcast(JobCancelled message) {
        enqueue(null, Messaging.CONTROL_EXCHANGE, "", message, false);
    }

    /** Drops these tasks' messages that are not yet published: a cancelled job sends no more. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int discardUnpublishedTasks(Collection<UUID> taskIds) {
        return jdbc.sql("delete from outbox_message where published_at is null and task_id = any(:tasks)")
                .param("tasks", taskIds.toArray(UUID[]::new))
                .update();
    }

    /** Messages not yet confirmed by the broker. */
    public long unpublished() {
        return jdbc.sql("select count(*) from outbox_message where published_at is null and not held")
                .query(Long.class)
                .single();
    }

    /** The task a message was sent for, if the message is one of ours and names a task. */
    public Optional<UUID> taskOfMessage(UUID messageId) {
        return jdbc.sql("select task_id from outbox_message where id = :id")
                .param("id", messageId)
                .query(UUID.class)
                .optional();
    }

    /** The payload last enqueued for a task, to send the same task again. */
    public TaskMessage lastTaskMessage(UUID taskId) {
        String payload = jdbc.sql(
                        "select payload from outbox_message where task_id = :task order by created_at desc limit 1")
                .param("task", taskId)
                .query(String.class)
                .single();
        return json.readValue(payload, TaskMessage.class);
    }

    private void enqueue(UUID taskId, String exchange, String routingKey, Object message, boolean held) {
        jdbc.sql("""
                insert into outbox_message (id, task_id, exchange, routing_key, payload, message_type, created_at,
                                            held)
                values (:id, :task, :exchange, :routingKey, :payload, :type, :now, :held)
                """)
                .param("held", held)
                .param("id", UUID.randomUUID())
                .param("task", taskId)
                .param("exchange", exchange)
                .param("routingKey", routingKey)
                .param("payload", json.writeValueAsString(message))
                .param("type", message.getClass().getName())
                .param("now", Timestamp.from(Instant.now()))
                .update();
    }
}
