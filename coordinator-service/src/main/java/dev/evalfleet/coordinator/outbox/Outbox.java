package dev.evalfleet.coordinator.outbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The write side of the transactional outbox: a message to publish is stored in the same transaction
 * as the rows it announces, and {@link OutboxRelay} publishes it after the commit.
 */
@Component
public class Outbox {

    private final JdbcClient jdbc;

    Outbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Must run inside the caller's transaction, so the message exists only if the task does. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void enqueueTask(UUID taskId, String exchange, String routingKey, String payload) {
        jdbc.sql("""
                insert into outbox_message (id, task_id, exchange, routing_key, payload, created_at)
                values (:id, :task, :exchange, :routingKey, :payload, :now)
                """)
                .param("id", UUID.randomUUID())
                .param("task", taskId)
                .param("exchange", exchange)
                .param("routingKey", routingKey)
                .param("payload", payload)
                .param("now", Timestamp.from(Instant.now()))
                .update();
    }
}
