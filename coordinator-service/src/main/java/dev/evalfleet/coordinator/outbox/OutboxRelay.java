package dev.evalfleet.coordinator.outbox;

import dev.evalfleet.coordinator.CoordinatorProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes outbox messages with publisher confirms and marks them published. Rows are locked with
 * {@code FOR UPDATE SKIP LOCKED} while they are published, so several coordinators never publish the
 * same row at once; a row whose confirm does not arrive stays unpublished and is sent again
 * (at-least-once; consumers drop duplicates).
 */
@Component
class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private record Pending(UUID id, UUID taskId, String exchange, String routingKey, String payload, String type) {}

    private static final int ANNOUNCE_ATTEMPTS = 5;

    private final JdbcClient jdbc;
    private final RabbitTemplate rabbit;
    private final TransactionTemplate transaction;
    private final CoordinatorProperties.Outbox settings;
    private final ApplicationEventPublisher events;
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final Executor wakeUps = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("outbox-wake-up").factory());

    OutboxRelay(
            JdbcClient jdbc,
            RabbitTemplate rabbit,
            TransactionTemplate transaction,
            CoordinatorProperties properties,
            ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.rabbit = rabbit;
        this.transaction = transaction;
        this.settings = properties.outbox();
    }

    /** Publishes released messages now rather than at the next poll; calls while one is pending coalesce. */
    void wakeUp() {
        if (!wakeUpPending.getAndSet(true)) {
            wakeUps.execute(() -> {
                wakeUpPending.set(false);
                relay();
            });
        }
    }

    @Scheduled(fixedDelayString = "${evalfleet.coordinator.outbox.poll-interval:500ms}")
    void relay() {
        try {
            int published;
            do {
                published = publishBatch();
            } while (published == settings.batchSize());
        } catch (AmqpException e) {
            log.warn("Outbox relay could not publish, will retry: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Outbox relay failed, will retry", e);
        }
    }

    /**
     * Publishes one batch and returns how many messages were confirmed. The batch's transaction touches
     * only outbox rows; the tasks and jobs are told in a transaction of their own, so it cannot deadlock
     * with the dispatcher or a cancel (which lock jobs and tasks first) and publish the batch twice.
     */
    int publishBatch() {
        List<UUID> published = new ArrayList<>();
        Integer count = transaction.execute(status -> {
            List<Pending> batch = jdbc.sql("""
                    select id, task_id, exchange, routing_key, payload, message_type from outbox_message
                    where published_at is null and not held
                    order by created_at
                    limit :limit
                    for update skip locked
                    """)
                    .param("limit", settings.batchSize())
                    .query((rs, row) -> new Pending(
                            rs.getObject("id", UUID.class),
                            rs.getObject("task_id", UUID.class),
                            rs.getString("exchange"),
                            rs.getString("routing_key"),
                            rs.getString("payload"),
                            rs.getString("message_type")))
                    .list();
            if (batch.isEmpty()) {
                return 0;
            }
            publishConfirmed(batch);
            markPublished(batch);
            batch.stream().map(Pending::taskId).filter(Objects::nonNull).forEach(published::add);
            return batch.size();
        });
        if (!published.isEmpty()) {
            announce(new TasksPublished(List.copyOf(published)));
        }
        return count == null ? 0 : count;
    }

    /** Tells the job feature which tasks are out; a lock conflict is tried again, not left to the poll. */
    private void announce(TasksPublished published) {
        for (int attempt = 1; ; attempt++) {
            try {
                transaction.executeWithoutResult(status -> events.publishEvent(published));
                return;
            } catch (PessimisticLockingFailureException e) {
                if (attempt == ANNOUNCE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void publishConfirmed(List<Pending> batch) {
        rabbit.invoke(operations -> {
            for (Pending message : batch) {
                operations.send(message.exchange(), message.routingKey(), toMessage(message));
            }
            // throws unless the broker confirmed every message of the batch in time
            operations.waitForConfirmsOrDie(settings.confirmTimeout().toMillis());
            return null;
        });
    }

    private void markPublished(List<Pending> batch) {
        UUID[] ids = batch.stream().map(Pending::id).toArray(UUID[]::new);
        jdbc.sql("update outbox_message set published_at = now(), attempts = attempts + 1 where id = any(:ids)")
                .param("ids", ids)
                .update();
    }

    private static Message toMessage(Pending pending) {
        MessageProperties properties = new MessageProperties();
        properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        properties.setContentEncoding(StandardCharsets.UTF_8.name());
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.setMessageId(pending.id().toString());
        properties.setHeader("__TypeId__", pending.type());
        return new Message(pending.payload().getBytes(StandardCharsets.UTF_8), properties);
    }
}
