package dev.evalfleet.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a stand-in model server runs: where it listens, which datasets it knows, how it answers, and
 * the latency and failures it puts in the way. Start from {@link #of(Path...)} and change with the
 * withers.
 *
 * @param port TCP port, 0 for any free one
 * @param datasets JSONL files of HumanEval, MBPP or EvalPlus's HumanEval+ and MBPP+ (either
 *     format), plain or {@code .gz}
 * @param behaviour how matched problems are answered
 * @param modelName the model name listed by {@code /api/tags} and {@code /v1/models}
 * @param latency added to every chat request
 * @param jitter up to this much more is added, drawn deterministically from the seed: a request's
 *     latency is uniform in {@code [latency, latency + jitter)}
 * @param failureRate fraction of chat requests answered with HTTP 500, drawn deterministically from the seed
 * @param seed makes jitter and failures repeat from run to run for the same arrival order
 * @param capacity how many chat requests are served at once, and what happens to the rest
 */
public record SimulatorConfig(
        int port,
        List<Path> datasets,
        Behaviour behaviour,
        String modelName,
        Duration latency,
        Duration jitter,
        double failureRate,
        long seed,
        Capacity capacity) {

    public static final String DEFAULT_MODEL_NAME = "evalfleet-simulator";

    public SimulatorConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        datasets = List.copyOf(datasets);
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(modelName, "modelName");
        requireNotNegative(latency, "latency");
        requireNotNegative(jitter, "jitter");
        if (!(failureRate >= 0.0 && failureRate <= 1.0)) {
            throw new IllegalArgumentException("failureRate must be 0.0..1.0, was " + failureRate);
        }
        Objects.requireNonNull(capacity, "capacity");
    }

    /**
     * How many chat requests the server serves at once, like Ollama's {@code OLLAMA_NUM_PARALLEL} or
     * vLLM's batch limit. The others wait in arrival order; latency counts from when a request gets
     * a slot.
     *
     * @param slots requests served at once; 0 serves every request at once (no queue)
     * @param queueLimit requests that may wait for a slot; one more is refused with {@code
     *     overloadStatus} (Ollama: 503 "server busy"); -1 lets any number wait
     * @param overloadStatus what the OpenAI-compatible API answers when the queue is full, 503 or 429;
     *     Ollama's API always answers 503, as Ollama does
     */
    public record Capacity(int slots, int queueLimit, int overloadStatus) {

        /** Every request served at once, as before capacity existed. */
        public static final Capacity UNLIMITED = new Capacity(0, -1, 503);

        public Capacity {
            if (slots < 0) {
                throw new IllegalArgumentException("capacity must be 0 (unlimited) or more, was " + slots);
            }
            if (queueLimit < -1) {
                throw new IllegalArgumentException("queueLimit must be -1 (unbounded) or more, was " + queueLimit);
            }
            if (overloadStatus != 503 && overloadStatus != 429) {
                throw new IllegalArgumentException("overloadStatus must be 503 or 429, was " + overloadStatus);
            }
        }

        public boolean limited() {
            return slots > 0;
        }

        public boolean queueBounded() {
            return limited() && queueLimit >= 0;
        }
    }

    /** Any free port, reference answers, no latency, no failures, seed 1. */
    public static SimulatorConfig of(Path... datasets) {
        return new SimulatorConfig(
                0,
                List.of(datasets),
                new Behaviour.Reference(),
                DEFAULT_MODEL_NAME,
                Duration.ZERO,
                Duration.ZERO,
                0.0,
                1,
                Capacity.UNLIMITED);
    }

    public SimulatorConfig withPort(int port) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed, capacity);
    }

    public SimulatorConfig withDatasets(List<Path> datasets) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed, capacity);
    }

    public SimulatorConfig withBehaviour(Behaviour behaviour) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed, capacity);
    }

    public SimulatorConfig withModelName(String modelName) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed, capacity);
    }

    public SimulatorConfig withLatency(Duration latency) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed, capacity);
    }

    public SimulatorConfig withJitter(Duration jitter) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed, capacity);
    }

    public SimulatorConfig withFailureRate(double failureRate) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed, capacity);
    }

    public SimulatorConfig withSeed(long seed) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed, capacity);
    }

    /** Serves at most {@code slots} chat requests at once; 0 serves all at once. */
    public SimulatorConfig withCapacity(int slots) {
        return withCapacity(new Capacity(slots, capacity.queueLimit(), capacity.overloadStatus()));
    }

    /** Refuses a request when {@code queueLimit} already wait for a slot; -1 for no limit. */
    public SimulatorConfig withQueueLimit(int queueLimit) {
        return withCapacity(new Capacity(capacity.slots(), queueLimit, capacity.overloadStatus()));
    }

    /** What the OpenAI-compatible API answers when the queue is full: 503 or 429. */
    public SimulatorConfig withOverloadStatus(int overloadStatus) {
        return withCapacity(new Capacity(capacity.slots(), capacity.queueLimit(), overloadStatus));
    }

    public SimulatorConfig withCapacity(Capacity capacity) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed, capacity);
    }

    private static void requireNotNegative(Duration duration, String name) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or more, was " + duration);
        }
    }
}
