package dev.evalfleet.contracts;

import java.util.Map;

/** Exchange, queue and routing-key names that the services agree on. */
public final class Messaging {

    /** Direct exchange the coordinator publishes {@link TaskMessage}s to. */
    public static final String TASK_EXCHANGE = "evalfleet.tasks";

    public static final String TASK_QUEUE = "evalfleet.tasks";

    public static final String TASK_ROUTING_KEY = "task";

    /** Direct exchange workers publish {@link TaskResult}s to. */
    public static final String RESULT_EXCHANGE = "evalfleet.results";

    public static final String RESULT_QUEUE = "evalfleet.results";

    public static final String RESULT_ROUTING_KEY = "result";

    /** Fanout exchange workers publish {@link WorkerHeartbeat}s to. */
    public static final String WORKER_EXCHANGE = "evalfleet.workers";

    public static final String WORKER_HEARTBEAT_QUEUE = "evalfleet.worker-heartbeats";

    /**
     * Direct exchange workers publish {@link EndpointFeedback} to, and its queue (a classic queue: a
     * lost message is made good by the task's result).
     */
    public static final String ENDPOINT_FEEDBACK_EXCHANGE = "evalfleet.endpoint-feedback";

    public static final String ENDPOINT_FEEDBACK_QUEUE = "evalfleet.endpoint-feedback";

    public static final String ENDPOINT_FEEDBACK_ROUTING_KEY = "feedback";

    /** Fanout exchange the coordinator broadcasts {@link JobCancelled} to; every worker binds its own queue. */
    public static final String CONTROL_EXCHANGE = "evalfleet.control";

    /** Topic exchange that rejected and exhausted messages are dead-lettered to. */
    public static final String DEAD_LETTER_EXCHANGE = "evalfleet.dead-letter";

    /** Queue of task messages that exhausted their deliveries or could not be read. */
    public static final String TASK_DEAD_LETTER_QUEUE = "evalfleet.tasks.dead-letter";

    /** Deliveries after which a task is dead-lettered instead of redelivered. */
    public static final int TASK_DELIVERY_LIMIT = 5;

    /**
     * Arguments of the task queue. Every service that declares the queue must use exactly these, or
     * the broker refuses the declaration: a quorum queue with a delivery limit and at-least-once
     * dead-lettering.
     */
    public static Map<String, Object> taskQueueArguments() {
        return Map.of(
                "x-queue-type",
                "quorum",
                "x-delivery-limit",
                TASK_DELIVERY_LIMIT,
                "x-dead-letter-exchange",
                DEAD_LETTER_EXCHANGE,
                "x-dead-letter-routing-key",
                TASK_QUEUE,
                "x-dead-letter-strategy",
                "at-least-once",
                "x-overflow",
                "reject-publish");
    }

    /** Arguments of the result queue: a quorum queue, so results survive a broker restart. */
    public static Map<String, Object> resultQueueArguments() {
        return Map.of("x-queue-type", "quorum");
    }

    private Messaging() {}
}
