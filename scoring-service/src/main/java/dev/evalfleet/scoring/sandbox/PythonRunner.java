package dev.evalfleet.scoring.sandbox;

import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.TimeLimit;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.scoring.ScoringProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a program against its tests through the trusted {@code runner.py} and judges the outcome; the
 * facade of the sandbox feature. Where the runs happen is a {@link ProgramSandbox}: bubblewrap fork
 * servers (the default) or plain processes ({@code unsandboxed}).
 *
 * <p>A run counts as complete only if the runner's {@code done} record arrives carrying a nonce the
 * program never sees (see {@code runner.py}).
 */
@Component
public class PythonRunner {

    private final ProgramSandbox sandbox;
    private final ScoringProperties properties;
    private final SecureRandom random = new SecureRandom();

    public PythonRunner(ProcessLauncher launcher, JsonMapper json, ScoringProperties properties) {
        this.properties = properties;
        String runnerSource = load("runner.py");
        this.sandbox = properties.sandbox().mode() == ScoringProperties.SandboxMode.BUBBLEWRAP
                ? new ForkServerSandbox(properties, json, forkServerLoader(runnerSource, load("zygote.py")))
                : new ProcessSandbox(launcher, json, properties, runnerSource);
    }

    /** How runs are isolated, as reported in every verdict and in health. */
    public String sandboxName() {
        return sandbox.name();
    }

    /** Starts the sandboxes ahead of the first request. */
    @EventListener(ApplicationReadyEvent.class)
    public void warmUp() {
        Thread.ofVirtual()
                .name("sandbox-warm-up")
                .start(() -> sandbox.warmUp(properties.execution().parallelism()));
    }

    @PreDestroy
    public void shutdown() {
        sandbox.shutdown();
    }

    /** Checks that python can be started at all; returns its version or throws with the reason. */
    public String probe() throws IOException, InterruptedException {
        return sandbox.probe();
    }

    /**
     * Runs the program against the tests within the limits; never throws for anything the program does.
     * Input tests need {@code limits.expected()}.
     */
    public ExecutionResult run(String program, TestSuite tests, RunLimits limits) {
        long started = System.nanoTime();
        RunnerJob job = tests.hasInputs()
                ? job(program, tests, limits, inputs(tests, limits.expected().key(), limits.expected()))
                : job(program, tests, limits, null);
        try {
            FinishedRun finished = finished(job, tests, limits, outputLimit());
            return tests.hasInputs() ? finished.judgeInputs(limits.expected(), tests.entryPoint()) : finished.judge();
        } catch (RunNotStartedException e) {
            return harnessError(e.getMessage(), tests, limits.reported(), started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return harnessError(
                    "The scoring service was interrupted while the program ran.", tests, limits.reported(), started);
        }
    }

    /**
     * Runs the tests' reference solution: for input tests, on every input, for its outputs and their
     * CPU times; for a script, the whole script, which it must pass.
     *
     * @param key identifies the inputs, so that a fork server decodes them once
     */
    public ReferenceRun runReference(TestSuite tests, String key, RunLimits limits, int outputLimit) {
        RunnerJob job = tests.hasInputs()
                ? job(tests.reference(), tests, limits, inputs(tests, key, null))
                : job(tests.reference(), tests, limits, null);
        try {
            FinishedRun finished = finished(job, tests, limits, outputLimit);
            return tests.hasInputs() ? finished.referenceOutputs() : finished.referenceTime();
        } catch (RunNotStartedException e) {
            return ReferenceRun.notRun(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ReferenceRun.notRun("The scoring service was interrupted while the reference ran.");
        }
    }

    private FinishedRun finished(RunnerJob job, TestSuite tests, RunLimits limits, int outputLimit)
            throws RunNotStartedException, InterruptedException {
        RawRun raw = sandbox.run(nonce(), job, new RunBudget(limits.wall(), limits.cpu(), outputLimit));
        return new FinishedRun(
                raw.records(),
                raw.timedOut(),
                raw.exitCode(),
                raw.output(),
                limits.reported(),
                expectedTests(tests),
                raw.millis(),
                sandbox.name());
    }

    private RunnerJob job(String program, TestSuite tests, RunLimits limits, RunnerJob.Inputs inputs) {
        ScoringProperties.Limits rlimits = properties.limits();
        Duration cpu = limits.cpu().isZero() ? limits.wall() : limits.cpu();
        long cpuSeconds =
                (long) Math.ceil((cpu.toMillis() + rlimits.cpuTimeExtra().toMillis()) / 1000.0);
        return new RunnerJob(
                program,
                tests.setup(),
                tests.hasCheckFunction() ? tests.checkProgram() : null,
                tests.asserts(),
                tests.entryPoint(),
                inputs,
                new RunnerJob.Limits(
                        cpuSeconds,
                        rlimits.memory().toBytes(),
                        rlimits.fileSize().toBytes(),
                        rlimits.openFiles(),
                        tests.hasInputs() ? rlimits.memory().toBytes() : null,
                        null));
    }

    /** Input tests as the runner takes them; without {@code expected}, for a reference run. */
    private static RunnerJob.Inputs inputs(TestSuite tests, String key, RunLimits.Expected expected) {
        // outputs too large to carry are computed in the run from the reference
        boolean carried = expected != null && !expected.outputs().isEmpty();
        return new RunnerJob.Inputs(
                key,
                expected == null ? RunnerJob.Inputs.REFERENCE : RunnerJob.Inputs.COMPARE,
                tests.inputs().dataset().name(),
                tests.inputs().problemId(),
                tests.inputs().baseInputs(),
                tests.inputs().plusInputs(),
                tests.inputs().atol(),
                carried ? expected.outputs() : null,
                expected != null && !carried ? tests.reference() : null,
                expected != null && !carried ? expected.digests() : null,
                expected == null ? Map.of() : expected.limitsMicros());
    }

    private int outputLimit() {
        return (int)
                Math.min(Integer.MAX_VALUE, properties.execution().outputLimit().toBytes());
    }

    private String nonce() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static int expectedTests(TestSuite tests) {
        return tests.hasCheckFunction() || tests.hasInputs()
                ? 0
                : tests.asserts().size();
    }

    private ExecutionResult harnessError(String feedback, TestSuite tests, TimeLimit limit, long started) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        return new ExecutionResult(
                Verdict.ERROR,
                0,
                expectedTests(tests),
                List.of(),
                feedback,
                millis,
                sandboxName(),
                tests.hasInputs() ? false : null,
                limit);
    }

    /** The fork server's program: makes runner.py the module {@code runner}, then runs zygote.py, which imports from it. */
    private static String forkServerLoader(String runner, String zygote) {
        Base64.Encoder base64 = Base64.getEncoder();
        return """
                import base64, sys, types
                def load(name, source):
                    module = sys.modules[name] = types.ModuleType(name)
                    exec(compile(base64.b64decode(source).decode(), "<" + name + ">", "exec"), module.__dict__)
                load("runner", "%s")
                load("zygote", "%s")
                """.formatted(
                        base64.encodeToString(runner.getBytes(StandardCharsets.UTF_8)),
                        base64.encodeToString(zygote.getBytes(StandardCharsets.UTF_8)));
    }

    private static String load(String name) {
        try (InputStream in = PythonRunner.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
