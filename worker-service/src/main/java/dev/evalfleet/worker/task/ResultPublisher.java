package dev.evalfleet.worker.task;

import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.worker.WorkerProperties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes task results and waits for the broker to take responsibility for them (publisher
 * confirm), because the task is acknowledged only once its result is safe.
 */
@Component
class ResultPublisher {

    private static final Logger log = LoggerFactory.getLogger(ResultPublisher.class);

    private final RabbitTemplate rabbitTemplate;
    private final WorkerProperties properties;

    ResultPublisher(RabbitTemplate rabbitTemplate, WorkerProperties properties) {
        this.rabbitTemplate = rabbitTemplate;
        this.properties = properties;
    }

    /**
     * @return whether the broker confirmed the result and routed it to a queue; when not, the
     *     result may be lost and the task must be redelivered
     */
    boolean publish(TaskResult result) throws InterruptedException {
        String messageId = result.messageId().toString();
        CorrelationData correlation = new CorrelationData(messageId);
        WorkerProperties.Topology topology = properties.topology();
        try {
            rabbitTemplate.convertAndSend(
                    topology.resultExchange(),
                    topology.resultRoutingKey(),
                    result,
                    message -> {
                        message.getMessageProperties().setMessageId(messageId);
                        return message;
                    },
                    correlation);
            var confirm = correlation
                    .getFuture()
                    .get(properties.tasks().confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!confirm.ack()) {
                log.warn("Broker refused result {} of task {}: {}", messageId, result.taskId(), confirm.reason());
                return false;
            }
            // Returns arrive before the confirm; a returned result reached no queue and is gone.
            if (correlation.getReturned() != null) {
                log.warn(
                        "Result {} of task {} was unroutable: {}",
                        messageId,
                        result.taskId(),
                        correlation.getReturned().getReplyText());
                return false;
            }
            return true;
        } catch (AmqpException | ExecutionException | TimeoutException failure) {
            log.warn("Result {} of task {} was not confirmed: {}", messageId, result.taskId(), failure.toString());
            return false;
        }
    }
}
