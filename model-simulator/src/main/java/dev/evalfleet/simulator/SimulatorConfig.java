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
 * @param jitter up to this much more is added, drawn deterministically from the seed
 * @param failureRate fraction of chat requests answered with HTTP 500, drawn deterministically from the seed
 * @param seed makes jitter and failures repeat from run to run for the same arrival order
 */
public record SimulatorConfig(
        int port,
        List<Path> datasets,
        Behaviour behaviour,
        String modelName,
        Duration latency,
        Duration jitter,
        double failureRate,
        long seed) {

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
                1);
    }

    public SimulatorConfig withPort(int port) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed);
    }

    public SimulatorConfig withDatasets(List<Path> datasets) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed);
    }

    public SimulatorConfig withBehaviour(Behaviour behaviour) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed);
    }

    public SimulatorConfig withModelName(String modelName) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed);
    }

    public SimulatorConfig withLatency(Duration latency) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed);
    }

    public SimulatorConfig withJitter(Duration jitter) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed);
    }

    public SimulatorConfig withFailureRate(double failureRate) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed);
    }

    public SimulatorConfig withSeed(long seed) {
        return new SimulatorConfig(port, datasets, behaviour, modelName, latency, jitter, failureRate, seed);
    }

    private static void requireNotNegative(Duration duration, String name) {
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or more, was " + duration);
        }
    }
}
