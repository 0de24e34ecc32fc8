package dev.evalfleet.worker.task;

import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.worker.WorkerProperties;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * The task and result exchanges and the task queue, declared exactly as the coordinator declares
 * them (declaring is idempotent, so whichever service starts first creates them), and the listener
 * container that consumes tasks.
 */
@Configuration(proxyBeanMethods = false)
class TaskTopology {

    @Bean
    DirectExchange taskExchange(WorkerProperties properties) {
        return ExchangeBuilder.directExchange(properties.topology().taskExchange()).durable(true).build();
    }

    @Bean
    Queue taskQueue(WorkerProperties properties) {
        return QueueBuilder.durable(properties.topology().taskQueue())
                .withArguments(Messaging.taskQueueArguments())
                .build();
    }

    @Bean
    Binding taskBinding(Queue taskQueue, DirectExchange taskExchange, WorkerProperties properties) {
        return BindingBuilder.bind(taskQueue).to(taskExchange).with(properties.topology().taskRoutingKey());
    }

    @Bean
    DirectExchange resultExchange(WorkerProperties properties) {
        return ExchangeBuilder.directExchange(properties.topology().resultExchange()).durable(true).build();
    }

    /**
     * One consumer per task in flight, each with prefetch 1, so a slow model holds one task per
     * consumer and the rest stay in the queue for other workers.
     */
    @Bean
    SimpleRabbitListenerContainerFactory taskListenerContainerFactory(
            SimpleRabbitListenerContainerFactoryConfigurer configurer,
            ConnectionFactory connectionFactory,
            WorkerProperties properties) {
        var factory = new SimpleRabbitListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        factory.setPrefetchCount(1);
        factory.setConcurrentConsumers(properties.tasks().concurrency());
        factory.setMaxConcurrentConsumers(properties.tasks().concurrency());
        factory.setDefaultRequeueRejected(false);
        // The listener reads the JSON itself: a body the JSON converter choked on would fail before
        // the listener could reject it, and in MANUAL mode stay unacknowledged until restart.
        factory.setMessageConverter(new SimpleMessageConverter());
        // Consumers spend their time waiting on the model and the scoring service.
        factory.setTaskExecutor(new VirtualThreadTaskExecutor("evalfleet-task-"));
        factory.setContainerCustomizer(container ->
                container.setShutdownTimeout(properties.tasks().shutdownTimeout().toMillis()));
        return factory;
    }
}
