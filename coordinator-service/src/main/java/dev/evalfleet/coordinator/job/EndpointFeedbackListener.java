package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.EndpointFeedback;
import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.coordinator.worker.EndpointCapacities;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * What workers report as model requests end: the task's slots are free for the next task, and the
 * endpoint's effective capacity learns from the server's answers.
 */
@Component
class EndpointFeedbackListener {

    private final TaskDispatcher dispatcher;
    private final EndpointCapacities capacities;

    EndpointFeedbackListener(TaskDispatcher dispatcher, EndpointCapacities capacities) {
        this.dispatcher = dispatcher;
        this.capacities = capacities;
    }

    @RabbitListener(queues = Messaging.ENDPOINT_FEEDBACK_QUEUE)
    void onFeedback(EndpointFeedback feedback) {
        if (feedback.taskId() != null) {
            dispatcher.requestsDone(feedback.taskId(), feedback.requestsDone());
        }
        capacities.learn(feedback.endpoint(), feedback.succeeded(), feedback.pushedBack());
        dispatcher.wakeUp();
    }
}
