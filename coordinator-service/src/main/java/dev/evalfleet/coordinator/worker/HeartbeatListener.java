package dev.evalfleet.coordinator.worker;

import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.WorkerHeartbeat;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

@Component
class HeartbeatListener {

    private final WorkerRegistry registry;

    HeartbeatListener(WorkerRegistry registry) {
        this.registry = registry;
    }

    @RabbitListener(queues = Messaging.WORKER_HEARTBEAT_QUEUE)
    void onHeartbeat(WorkerHeartbeat heartbeat) {
        registry.record(heartbeat);
    }
}
