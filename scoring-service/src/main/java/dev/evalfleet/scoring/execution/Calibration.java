package dev.evalfleet.scoring.execution;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.TimeLimit;
import dev.evalfleet.scoring.ScoringProperties;
import dev.evalfleet.scoring.sandbox.PythonRunner;
import dev.evalfleet.scoring.sandbox.ReferenceRun;
import dev.evalfleet.scoring.sandbox.RunLimits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides a run's time limits: the request's own {@code timeoutSeconds} where it fixes one, else
 * calibrated on the reference solution the tests carry, else the service's default. Runs each distinct
 * reference once (in the sandbox, in a run slot like any other run) and keeps what it found: for
 * EvalPlus input tests, the expected outputs too.
 */
@Component
class Calibration {

    private static final Logger log = LoggerFactory.getLogger(Calibration.class);
    private static final String[] PARTS = {"base", "plus"};

    private final PythonRunner runner;
    private final RunSlots slots;
    private final ScoringProperties.Calibration settings;
    private final Duration defaultTimeout;
    private final AsyncCache<String, ReferenceRun> references;

    Calibration(PythonRunner runner, RunSlots slots, ScoringProperties properties) {
        this.runner = runner;
        this.slots = slots;
        this.settings = properties.calibration();
        this.defaultTimeout = properties.execution().defaultTimeout();
        this.references = Caffeine.newBuilder()
                .maximumWeight(settings.cacheSize().toBytes())
                .<String, ReferenceRun>weigher((key, reference) -> reference.weight())
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .buildAsync();
    }

    /** The limits of a run of this request; throws when input tests lack their expected outputs. */
    RunLimits limits(ExecutionRequest request) {
        TestSuite tests = request.tests();
        Double fixed = request.timeoutSeconds();
        if (tests.hasInputs()) {
            String key = key(tests);
            ReferenceRun reference = reference(tests, key);
            if (fixed != null) {
                TimeLimit limit = new TimeLimit(TimeLimit.FIXED, fixed, null);
                if (!reference.served()) {
                    throw new ReferenceUnavailableException(reference.problem(), limit);
                }
                return new RunLimits(seconds(fixed), Duration.ZERO, limit, expected(key, reference, micros -> 0L));
            }
            return calibratedInputs(key, reference);
        }
        if (fixed != null) {
            return new RunLimits(seconds(fixed), Duration.ZERO, new TimeLimit(TimeLimit.FIXED, fixed, null), null);
        }
        if (tests.reference() != null && !tests.reference().isBlank()) {
            ReferenceRun reference = reference(tests, key(tests));
            if (reference.served()) {
                double cpu = Math.max(seconds(settings.floor()), settings.factor() * reference.cpuSeconds());
                return new RunLimits(
                        seconds(cpu * settings.wallFactor()),
                        seconds(cpu),
                        new TimeLimit(TimeLimit.CALIBRATED, cpu, reference.cpuSeconds()),
                        null);
            }
            log.warn("Time limit not calibrated: {}", reference.problem());
        }
        double seconds = seconds(defaultTimeout);
        return new RunLimits(defaultTimeout, Duration.ZERO, new TimeLimit(TimeLimit.DEFAULT, seconds, null), null);
    }

    /** EvalPlus's rule: each input max(floor, factor × its reference time), each part capped. */
    private RunLimits calibratedInputs(String key, ReferenceRun reference) {
        if (!reference.served()) {
            throw new ReferenceUnavailableException(reference.problem(), new TimeLimit(TimeLimit.CALIBRATED, 0, null));
        }
        long floor = settings.inputFloor().toNanos() / 1000;
        RunLimits.Expected expected =
                expected(key, reference, micros -> Math.max(floor, (long) (settings.factor() * micros)));
        double cpu = 0;
        for (String part : PARTS) {
            long sum = expected.limitsMicros().get(part).stream()
                    .mapToLong(Long::longValue)
                    .sum();
            // as EvalPlus gives each part's process a second beyond its inputs' limits
            cpu += Math.min(sum / 1e6, seconds(settings.partCap())) + 1;
        }
        return new RunLimits(
                seconds(cpu * settings.wallFactor()),
                seconds(cpu),
                new TimeLimit(TimeLimit.CALIBRATED, cpu, reference.cpuSeconds()),
                expected);
    }

    private static RunLimits.Expected expected(String key, ReferenceRun reference, LongUnaryOperator limitOfInput) {
        Map<String, List<Long>> limits = new LinkedHashMap<>();
        for (String part : PARTS) {
            limits.put(
                    part,
                    reference.micros().getOrDefault(part, List.of()).stream()
                            .map(limitOfInput::applyAsLong)
                            .toList());
        }
        return new RunLimits.Expected(key, reference.outputs(), limits, reference.digests());
    }

    private ReferenceRun reference(TestSuite tests, String key) {
        ReferenceRun reference = references
                .get(key, ignored -> slots.inSlot(() -> runReference(tests, key)))
                .join();
        if (reference.retryable()) {
            references.synchronous().invalidate(key);
        }
        return reference;
    }

    private ReferenceRun runReference(TestSuite tests, String key) {
        Duration timeout = settings.referenceTimeout();
        RunLimits limits =
                new RunLimits(timeout, timeout, new TimeLimit(TimeLimit.FIXED, seconds(timeout), null), null);
        int outputLimit = (int)
                Math.min(Integer.MAX_VALUE, settings.referenceOutputLimit().toBytes());
        return runner.runReference(tests, key, limits, outputLimit);
    }

    /** Identifies the tests and their reference, so that equal tests share one reference run. */
    private static String key(TestSuite tests) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        feed(digest, tests.reference());
        feed(digest, tests.entryPoint());
        feed(digest, tests.setup());
        feed(digest, tests.checkProgram());
        feed(digest, String.valueOf(tests.asserts().size()));
        tests.asserts().forEach(test -> feed(digest, test));
        if (tests.hasInputs()) {
            feed(digest, tests.inputs().dataset().name());
            feed(digest, tests.inputs().problemId());
            feed(digest, tests.inputs().baseInputs());
            feed(digest, tests.inputs().plusInputs());
            feed(digest, Double.toString(tests.inputs().atol()));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void feed(MessageDigest digest, String part) {
        byte[] bytes = part == null ? new byte[0] : part.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
