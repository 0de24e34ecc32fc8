package dev.evalfleet.worker.task;

import java.time.Instant;
import org.springframework.amqp.core.MessageProperties;

/**
 * One delivery of a task to this worker.
 *
 * @param receivedAt when it arrived
 * @param deliveries how many times the broker has delivered the task, this time included
 */
record Delivery(Instant receivedAt, int deliveries) {

    /** Quorum queues count the earlier deliveries that came back in this header. */
    static final String DELIVERY_COUNT = "x-delivery-count";

    static Delivery of(MessageProperties properties, Instant receivedAt) {
        return new Delivery(receivedAt, deliveries(properties));
    }

    /**
     * The header is absent on a first delivery; a redelivery without it (a classic queue) is known
     * only to be at least the second.
     */
    static int deliveries(MessageProperties properties) {
        Object count = properties.getHeaders().get(DELIVERY_COUNT);
        if (count instanceof Number earlier) {
            return Math.toIntExact(earlier.longValue()) + 1;
        }
        return Boolean.TRUE.equals(properties.getRedelivered()) ? 2 : 1;
    }
}
