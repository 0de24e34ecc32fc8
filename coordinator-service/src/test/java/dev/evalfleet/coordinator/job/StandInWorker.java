package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.WorkerHeartbeat;
import java.time.Instant;
import java.util.List;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The test in a worker's place, over the real broker: it announces a {@code reference} endpoint with
 * heartbeats and clears tasks that earlier, interrupted runs left on the queue.
 */
record StandInWorker(RabbitTemplate rabbit, String endpoint) {

    void heartbeat(String workerId, Instant sentAt) {
        rabbit.convertAndSend(
                Messaging.WORKER_EXCHANGE,
                "",
                new WorkerHeartbeat(
                        workerId,
                        "localhost",
                        "test",
                        List.of(new EndpointDescriptor(endpoint, "reference", 1)),
                        1,
                        0,
                        0,
                        sentAt,
                        sentAt));
    }

    /** Tasks of earlier, interrupted runs would be mistaken for this run's. */
    void drainTasks() {
        while (rabbit.receive(Messaging.TASK_QUEUE) != null) {
            // dropped
        }
    }
}
