package dev.evalfleet.coordinator.job;

import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.contracts.WorkerHeartbeat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test in a worker's place, over the real broker: it announces a {@code reference} endpoint with
 * heartbeats, clears tasks that earlier, interrupted runs left on the queue, takes the tasks a test
 * publishes and reports results as a worker would.
 */
public record StandInWorker(RabbitTemplate rabbit, String endpoint) {

    /** A stand-in that cleared the task queue and that the coordinator lists as serving the endpoint. */
    public static StandInWorker announced(RabbitTemplate rabbit, String endpoint, Api api) {
        StandInWorker worker = new StandInWorker(rabbit, endpoint);
        worker.drainTasks();
        worker.heartbeat("test-worker-" + UUID.randomUUID(), Instant.now());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/api/endpoints").toString().contains(endpoint));
        return worker;
    }

    void heartbeat(String workerId, Instant sentAt) {
        rabbit.convertAndSend(
                Messaging.WORKER_EXCHANGE,
                "",
                new WorkerHeartbeat(
                        workerId,
                        "localhost",
                        "test",
                        List.of(new EndpointDescriptor(endpoint, "reference", 1, 0)),
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

    /** The next {@code count} tasks off the real task queue. */
    List<TaskMessage> takeTasks(JsonMapper json, int count) {
        List<TaskMessage> tasks = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Message message = rabbit.receive(Messaging.TASK_QUEUE, 200);
            if (message != null) {
                tasks.add(json.readValue(new String(message.getBody(), StandardCharsets.UTF_8), TaskMessage.class));
            }
            return tasks.size() == count;
        });
        return tasks;
    }

    /** Publishes a result as a worker would. */
    void report(TaskResult result) {
        rabbit.convertAndSend(Messaging.RESULT_EXCHANGE, Messaging.RESULT_ROUTING_KEY, result);
    }
}
