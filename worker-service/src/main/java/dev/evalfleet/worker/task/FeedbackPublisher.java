package dev.evalfleet.worker.task;

import dev.evalfleet.contracts.EndpointFeedback;
import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.worker.WorkerIdentity;
import dev.evalfleet.worker.model.ServerSignals;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Tells the coordinator as model requests end, so it can hand their slots to the next task and adapt
 * the endpoint's capacity. Fire and forget: a lost message is made good by the task's result.
 */
@Component
class FeedbackPublisher implements ServerSignals {

    private static final Logger log = LoggerFactory.getLogger(FeedbackPublisher.class);

    private final RabbitTemplate rabbit;
    private final WorkerIdentity identity;

    FeedbackPublisher(RabbitTemplate rabbit, WorkerIdentity identity) {
        this.rabbit = rabbit;
        this.identity = identity;
    }

    /**
     * One model request of the task ended. A self-repair task's requests come turn after turn, so its
     * slots are held until its result; an independent sample's slot is free now.
     */
    void requestEnded(TaskMessage task, boolean answered) {
        publish(new EndpointFeedback(
                task.endpoint(),
                task.taskId(),
                task.jobId(),
                task.repairs() ? 0 : 1,
                answered ? 1 : 0,
                0,
                identity.workerId(),
                Instant.now()));
    }

    @Override
    public void pushedBack(String endpoint) {
        publish(new EndpointFeedback(endpoint, null, null, 0, 0, 1, identity.workerId(), Instant.now()));
    }

    private void publish(EndpointFeedback feedback) {
        try {
            rabbit.convertAndSend(
                    Messaging.ENDPOINT_FEEDBACK_EXCHANGE, Messaging.ENDPOINT_FEEDBACK_ROUTING_KEY, feedback);
        } catch (AmqpException e) {
            log.debug("Feedback on endpoint {} not sent: {}", feedback.endpoint(), e.getMessage());
        }
    }
}
