package dev.evalfleet.worker.heartbeat;

import dev.evalfleet.contracts.WorkerHeartbeat;
import dev.evalfleet.worker.WorkerIdentity;
import dev.evalfleet.worker.WorkerProperties;
import dev.evalfleet.worker.model.ModelEndpoints;
import dev.evalfleet.worker.task.TaskActivity;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Announces this worker on the worker fanout exchange at a fixed rate, so the coordinator knows
 * which endpoints are served and by how much capacity. Heartbeats are fire-and-forget: a lost one
 * is replaced by the next.
 */
@Configuration(proxyBeanMethods = false)
class HeartbeatPublisher implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatPublisher.class);

    private final RabbitTemplate rabbitTemplate;
    private final WorkerProperties properties;
    private final WorkerIdentity identity;
    private final ModelEndpoints endpoints;
    private final TaskActivity activity;

    HeartbeatPublisher(
            RabbitTemplate rabbitTemplate,
            WorkerProperties properties,
            WorkerIdentity identity,
            ModelEndpoints endpoints,
            TaskActivity activity) {
        this.rabbitTemplate = rabbitTemplate;
        this.properties = properties;
        this.identity = identity;
        this.endpoints = endpoints;
        this.activity = activity;
    }

    @Bean
    static FanoutExchange workerExchange(WorkerProperties properties) {
        return ExchangeBuilder.fanoutExchange(properties.topology().workerExchange())
                .durable(true)
                .build();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedRateTask(this::publish, properties.heartbeat().interval());
    }

    void publish() {
        try {
            rabbitTemplate.convertAndSend(properties.topology().workerExchange(), "", heartbeat());
        } catch (AmqpException unavailable) {
            log.warn("Heartbeat not sent: {}", unavailable.toString());
        }
    }

    WorkerHeartbeat heartbeat() {
        return new WorkerHeartbeat(
                identity.workerId(),
                identity.host(),
                identity.version(),
                endpoints.descriptors(),
                properties.tasks().concurrency(),
                activity.inFlight(),
                activity.done(),
                identity.startedAt(),
                Instant.now());
    }
}
