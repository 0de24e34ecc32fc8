package dev.evalfleet.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the command line of the runnable jar into a {@link SimulatorConfig}. */
final class CommandLine {

    static final String USAGE = """
            Usage: java -jar model-simulator-exec.jar --dataset path[,path] [options]
              Stand-in model server (Ollama /api/chat and OpenAI /v1/chat/completions); not a model.
              --dataset path[,path]        HumanEval, MBPP or EvalPlus (HumanEval+, MBPP+) JSONL files,
                                           plain or .gz (required)
              --port 11434                 TCP port, 0 for any free one
              --behaviour reference|mixed|feedback-needed
                                           always correct; correct for expectedCorrect(id, samples) samples;
                                           or wrong unless the prompt carries feedback of a failed attempt
              --samples 5                  samples per problem, for mixed
              --latency-ms 0               service time of every chat request, counted from when it gets a slot
              --jitter-ms 0                up to this much more, uniform, drawn from the seed: latency is
                                           uniform in [latency, latency + jitter); for uniform in
                                           [0.5 L, 1.5 L] give --latency-ms L/2 --jitter-ms L
              --capacity 0                 chat requests served at once (Ollama's OLLAMA_NUM_PARALLEL, vLLM's
                                           batch limit); the others wait in arrival order; 0 serves all at once
              --queue-limit -1             requests that may wait for a slot; one more is refused (Ollama:
                                           503 "server busy"); -1 lets any number wait
              --overload-status 503        what the OpenAI API answers when the queue is full: 503 or 429
              --failure-rate 0.0           fraction of chat requests answered with HTTP 500
              --seed 1                     makes jitter and failures repeatable
              --model-name evalfleet-simulator
            """;

    private static final Set<String> FLAGS = Set.of(
            "port",
            "dataset",
            "behaviour",
            "samples",
            "latency-ms",
            "jitter-ms",
            "failure-rate",
            "seed",
            "model-name",
            "capacity",
            "queue-limit",
            "overload-status");

    private CommandLine() {}

    /** The configuration the arguments describe; throws {@link IllegalArgumentException} naming what is wrong. */
    static SimulatorConfig parse(String... args) {
        Map<String, String> values = flags(args);
        if (!values.containsKey("dataset")) {
            throw new IllegalArgumentException("--dataset is required");
        }
        List<Path> datasets = Arrays.stream(values.get("dataset").split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .toList();
        int samples = integer(values, "samples", 5);
        return SimulatorConfig.of()
                .withPort(integer(values, "port", 11434))
                .withDatasets(datasets)
                .withBehaviour(Behaviour.named(values.getOrDefault("behaviour", "reference"), samples))
                .withModelName(values.getOrDefault("model-name", SimulatorConfig.DEFAULT_MODEL_NAME))
                .withLatency(Duration.ofMillis(integer(values, "latency-ms", 0)))
                .withJitter(Duration.ofMillis(integer(values, "jitter-ms", 0)))
                .withFailureRate(number(values, "failure-rate", 0.0))
                .withSeed(integer(values, "seed", 1))
                .withCapacity(new SimulatorConfig.Capacity(
                        integer(values, "capacity", 0),
                        integer(values, "queue-limit", -1),
                        integer(values, "overload-status", 503)));
    }

    // Accepts "--flag value" and "--flag=value".
    private static Map<String, String> flags(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                value = name.substring(equals + 1);
                name = name.substring(0, equals);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            values.put(name, value);
        }
        return values;
    }

    private static int integer(Map<String, String> values, String name, int fallback) {
        String value = values.get(name);
        try {
            return value == null ? fallback : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + value + "'");
        }
    }

    private static double number(Map<String, String> values, String name, double fallback) {
        String value = values.get(name);
        try {
            return value == null ? fallback : Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, was '" + value + "'");
        }
    }
}
