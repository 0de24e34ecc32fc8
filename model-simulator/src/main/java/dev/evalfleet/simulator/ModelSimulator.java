package dev.evalfleet.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in model server, not a model: it speaks Ollama's and the OpenAI-compatible chat APIs and
 * answers problems it looks up in HumanEval-format datasets, so tests, the demo and chaos runs can
 * use it where Ollama or vLLM would run. Start one with {@link #start(SimulatorConfig)}, or run the
 * exec jar (see {@link CommandLine#USAGE}).
 */
public final class ModelSimulator implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Traffic traffic;
    private final SimulatorConfig config;
    private final int problemCount;

    private ModelSimulator(
            HttpServer server, ExecutorService executor, Traffic traffic, SimulatorConfig config, int problemCount) {
        this.server = server;
        this.executor = executor;
        this.traffic = traffic;
        this.config = config;
        this.problemCount = problemCount;
    }

    /**
     * Loads the datasets and starts serving; returns once the port is bound.
     *
     * @throws InvalidDatasetException if a dataset cannot be read
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static ModelSimulator start(SimulatorConfig config) {
        ObjectMapper json = JsonMapper.builder().build();
        ProblemSet problems = ProblemSet.load(config.datasets(), json);
        ServingSlots slots = new ServingSlots(config.capacity());
        Traffic traffic = new Traffic(slots);
        Endpoints endpoints =
                new Endpoints(config, json, new ChatAnswerer(problems, config.behaviour()), traffic, slots);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(config.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + config.port(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", endpoints);
        server.start();
        return new ModelSimulator(server, executor, traffic, config, problems.size());
    }

    /**
     * How many of the first {@code n} samples of a problem the {@code mixed} behaviour answers
     * correctly; see {@link Behaviour.Mixed#expectedCorrect(String, int)} for the formula.
     */
    public static int expectedCorrect(String problemId, int n) {
        return Behaviour.Mixed.expectedCorrect(problemId, n);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://localhost:<port>}, without a trailing slash. */
    public String baseUrl() {
        return "http://localhost:" + port();
    }

    /** All requests seen, except those for the stats. */
    public long requestCount() {
        return traffic.snapshot().total();
    }

    /** Requests seen for one path, such as {@code /api/chat}. */
    public long requestCount(String path) {
        return traffic.snapshot().requests(path);
    }

    public SimulatorStats stats() {
        return traffic.snapshot();
    }

    /** Starts every count afresh, as {@code POST /_simulator/stats/reset} does. */
    public void resetStats() {
        traffic.reset();
    }

    /** How many problems the loaded datasets hold. */
    public int problemCount() {
        return problemCount;
    }

    public SimulatorConfig config() {
        return config;
    }

    /** Stops at once; requests still waiting out their latency are dropped. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    public static void main(String[] args) {
        SimulatorConfig config;
        try {
            config = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("model-simulator: " + e.getMessage());
            System.err.print(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        ModelSimulator simulator = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "model-simulator-shutdown"));
        // The server's dispatcher thread keeps the JVM running from here on.
        System.out.println(simulator.readyLine());
    }

    String readyLine() {
        String behaviour = switch (config.behaviour()) {
            case Behaviour.Reference reference -> "reference";
            case Behaviour.Mixed mixed -> "mixed, samples=" + mixed.samples();
            case Behaviour.FeedbackNeeded feedbackNeeded -> "feedback-needed";
        };
        return "model-simulator (stand-in model server, not a model) ready on " + baseUrl() + ": "
                + problemCount + " problems, behaviour " + behaviour + ", latency "
                + config.latency().toMillis()
                + "ms + up to " + config.jitter().toMillis() + "ms, failure rate " + config.failureRate()
                + ", seed " + config.seed() + ", " + capacity();
    }

    private String capacity() {
        SimulatorConfig.Capacity capacity = config.capacity();
        if (!capacity.limited()) {
            return "every request served at once";
        }
        return "capacity " + capacity.slots() + " at once, "
                + (capacity.queueBounded()
                        ? capacity.queueLimit() + " may wait (then " + capacity.overloadStatus() + ")"
                        : "any number may wait");
    }
}
