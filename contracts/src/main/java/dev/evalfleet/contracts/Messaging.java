package dev.evalfleet.contracts;

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

    private Messaging() {}
}
