package dev.evalfleet.worker.task;

import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.worker.WorkerIdentity;
import dev.evalfleet.worker.WorkerProperties;
import java.time.Duration;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AnonymousQueue;
import org.springframework.amqp.core.Base64UrlNamingStrategy;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.ExchangeBuilder;
import org.springframework.amqp.core.FanoutExchange;
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
 * The task, result and control exchanges and the task queue, declared exactly as the coordinator
 * declares them (declaring is idempotent, so whichever service starts first creates them), this
 * worker's own queue of control messages, and the listener containers that consume both.
 */
@Configuration(proxyBeanMethods = false)
class TaskTopology {

    /** Time stopping containers give interrupted tasks to requeue themselves. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

    @Bean
    DirectExchange taskExchange(WorkerProperties properties) {
        return ExchangeBuilder.directExchange(properties.topology().taskExchange())
                .durable(true)
                .build();
    }

    @Bean
    Queue taskQueue(WorkerProperties properties) {
        return QueueBuilder.durable(properties.topology().taskQueue())
                .withArguments(Messaging.taskQueueArguments())
                .build();
    }

    @Bean
    Binding taskBinding(Queue taskQueue, DirectExchange taskExchange, WorkerProperties properties) {
        return BindingBuilder.bind(taskQueue)
                .to(taskExchange)
                .with(properties.topology().taskRoutingKey());
    }

    @Bean
    DirectExchange resultExchange(WorkerProperties properties) {
        return ExchangeBuilder.directExchange(properties.topology().resultExchange())
                .durable(true)
                .build();
    }

    /** Direct exchange of the feedback on model requests (the coordinator declares and binds its queue). */
    @Bean
    DirectExchange feedbackExchange() {
        return ExchangeBuilder.directExchange(Messaging.ENDPOINT_FEEDBACK_EXCHANGE)
                .durable(true)
                .build();
    }

    /** Fanout exchange the coordinator broadcasts job cancellations to. */
    @Bean
    FanoutExchange controlExchange(WorkerProperties properties) {
        return ExchangeBuilder.fanoutExchange(properties.topology().controlExchange())
                .durable(true)
                .build();
    }

    /**
     * This worker's own copy of every control message: exclusive and auto-delete, so it lives as
     * long as the worker's connection. Named by the client rather than the broker, as Spring AMQP
     * advises: after a lost connection the admin declares it again under the same name, so the
     * listener container never races a renamed queue.
     */
    @Bean
    Queue controlQueue(WorkerIdentity identity) {
        return new AnonymousQueue(new Base64UrlNamingStrategy("evalfleet.control." + identity.workerId() + "."));
    }

    @Bean
    Binding controlBinding(Queue controlQueue, FanoutExchange controlExchange) {
        return BindingBuilder.bind(controlQueue).to(controlExchange);
    }

    /** One consumer; a control message is acknowledged once handled, and dropped if it cannot be read. */
    @Bean
    SimpleRabbitListenerContainerFactory controlListenerContainerFactory(
            SimpleRabbitListenerContainerFactoryConfigurer configurer, ConnectionFactory connectionFactory) {
        var factory = new SimpleRabbitListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setAcknowledgeMode(AcknowledgeMode.AUTO);
        factory.setConcurrentConsumers(1);
        factory.setMaxConcurrentConsumers(1);
        factory.setDefaultRequeueRejected(false);
        factory.setMessageConverter(new SimpleMessageConverter());
        factory.setTaskExecutor(new VirtualThreadTaskExecutor("evalfleet-control-"));
        return factory;
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
        // Stopping cancels the consumers at once, so no task arrives any more; the tasks in flight get
        // the shutdown timeout, then TasksInFlight interrupts them and they are nacked back to the
        // queue. The grace covers that nack; only then are the channels closed.
        factory.setContainerCustomizer(container -> container.setShutdownTimeout(
                properties.tasks().shutdownTimeout().plus(SHUTDOWN_GRACE).toMillis()));
        return factory;
    }
}
