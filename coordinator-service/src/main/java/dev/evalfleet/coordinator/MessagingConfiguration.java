package dev.evalfleet.coordinator;

import dev.evalfleet.contracts.Messaging;
import java.util.Map;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The RabbitMQ topology the coordinator relies on, declared idempotently at start-up. */
@Configuration(proxyBeanMethods = false)
class MessagingConfiguration {

    /** Message types come from our own contracts, and from nowhere else. */
    @Bean
    MessageConverter messageConverter(JsonMapper json) {
        return new JacksonJsonMessageConverter(json, "dev.evalfleet.contracts");
    }

    /**
     * For listeners that must see a message as it is, even when nobody can read its body (dead
     * letters): with the JSON converter such a message would be discarded before the listener ran.
     */
    @Bean
    SimpleRabbitListenerContainerFactory rawMessageListenerFactory(
            SimpleRabbitListenerContainerFactoryConfigurer configurer, ConnectionFactory connectionFactory) {
        SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setMessageConverter(new SimpleMessageConverter());
        return factory;
    }

    @Bean
    Declarables evalfleetTopology() {
        DirectExchange tasks = new DirectExchange(Messaging.TASK_EXCHANGE);
        Queue taskQueue = new Queue(Messaging.TASK_QUEUE, true, false, false, Messaging.taskQueueArguments());
        TopicExchange deadLetters = new TopicExchange(Messaging.DEAD_LETTER_EXCHANGE);
        Queue taskDeadLetters =
                new Queue(Messaging.TASK_DEAD_LETTER_QUEUE, true, false, false, Map.of("x-queue-type", "quorum"));
        DirectExchange results = new DirectExchange(Messaging.RESULT_EXCHANGE);
        Queue resultQueue = new Queue(Messaging.RESULT_QUEUE, true, false, false, Messaging.resultQueueArguments());
        FanoutExchange workers = new FanoutExchange(Messaging.WORKER_EXCHANGE);
        // a heartbeat is worth nothing after a few intervals; do not let them pile up while we are down
        Queue heartbeats =
                new Queue(Messaging.WORKER_HEARTBEAT_QUEUE, true, false, false, Map.of("x-message-ttl", 30_000));
        FanoutExchange control = new FanoutExchange(Messaging.CONTROL_EXCHANGE);
        DirectExchange feedback = new DirectExchange(Messaging.ENDPOINT_FEEDBACK_EXCHANGE);
        // feedback only frees capacity early: a message lost or expired is made good by the task's result
        Queue feedbackQueue =
                new Queue(Messaging.ENDPOINT_FEEDBACK_QUEUE, true, false, false, Map.of("x-message-ttl", 60_000));
        return new Declarables(
                feedback,
                feedbackQueue,
                bind(feedbackQueue, feedback, Messaging.ENDPOINT_FEEDBACK_ROUTING_KEY),
                control,
                tasks,
                taskQueue,
                bind(taskQueue, tasks, Messaging.TASK_ROUTING_KEY),
                deadLetters,
                taskDeadLetters,
                BindingBuilder.bind(taskDeadLetters).to(deadLetters).with(Messaging.TASK_QUEUE),
                results,
                resultQueue,
                bind(resultQueue, results, Messaging.RESULT_ROUTING_KEY),
                workers,
                heartbeats,
                BindingBuilder.bind(heartbeats).to(workers));
    }

    private static Binding bind(Queue queue, DirectExchange exchange, String routingKey) {
        return BindingBuilder.bind(queue).to(exchange).with(routingKey);
    }
}
