package dev.evalfleet.scoring.sandbox;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.scoring.ScoringProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs one program against its tests through the trusted {@code runner.py}, and judges the outcome.
 * The facade of the sandbox feature. In {@code bubblewrap} mode (the default) each run is a fresh
 * child forked by a warm interpreter inside a long-lived bubblewrap sandbox ({@link ForkServer},
 * {@code zygote.py}); in {@code unsandboxed} mode it is a fresh python3 process per run.
 *
 * <p>The run is accepted as complete only if the runner's {@code done} record arrives carrying a
 * nonce that is handed to the runner on stdin, which it reads to the end and replaces with
 * /dev/null before any untrusted code runs. The runner reports on a private duplicate of its stdout;
 * the program's own stdout and stderr both go to the stderr pipe, read with a cap.
 */
@Component
public class PythonRunner {

    private static final Logger log = LoggerFactory.getLogger(PythonRunner.class);

    // After a kill, the pipes close as soon as the kernel has torn the processes down.
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SANDBOX_GRACE = Duration.ofSeconds(10);

    private final ProcessLauncher launcher;
    private final JsonMapper json;
    private final ScoringProperties properties;
    private final String runnerSource;
    private final SecureRandom random = new SecureRandom();
    private final ForkServerPool sandboxes;

    public PythonRunner(ProcessLauncher launcher, JsonMapper json, ScoringProperties properties) {
        this.launcher = launcher;
        this.json = json;
        this.properties = properties;
        this.runnerSource = load("runner.py");
        this.sandboxes =
                sandboxed() ? new ForkServerPool(properties, json, runnerSource + "\n" + load("zygote.py")) : null;
    }

    /** How runs are isolated, as reported in every verdict and in health. */
    public String sandboxName() {
        return sandboxed() ? "bubblewrap" : launcher.sandboxName();
    }

    private boolean sandboxed() {
        return properties.sandbox().mode() == ScoringProperties.SandboxMode.BUBBLEWRAP;
    }

    /** Starts the sandboxes ahead of the first request. */
    @EventListener(ApplicationReadyEvent.class)
    public void warmUp() {
        if (sandboxes != null) {
            Thread.ofVirtual()
                    .name("sandbox-warm-up")
                    .start(() -> sandboxes.warmUp(properties.execution().parallelism()));
        }
    }

    @PreDestroy
    public void shutdown() {
        if (sandboxes != null) {
            sandboxes.shutdown();
        }
    }

    /** Runs the request with the given wall-clock limit; never throws for anything the program does. */
    public ExecutionResult run(ExecutionRequest request, Duration timeout) {
        long started = System.nanoTime();
        if (sandboxes != null) {
            return runSandboxed(request, timeout, started);
        }
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("evalfleet-run-");
            return runIn(workDir, request, timeout, started);
        } catch (IOException e) {
            log.warn("Could not start a run", e);
            return harnessError("The scoring service could not start python: " + e.getMessage(), request, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return harnessError("The scoring service was interrupted while the program ran.", request, started);
        } finally {
            if (workDir != null) {
                deleteTree(workDir);
            }
        }
    }

    private ExecutionResult runIn(Path workDir, ExecutionRequest request, Duration timeout, long started)
            throws IOException, InterruptedException {
        String nonce = HexFormat.of().formatHex(nonceBytes());
        int cap = (int)
                Math.min(Integer.MAX_VALUE, properties.execution().outputLimit().toBytes());
        List<String> command = List.of(properties.python().executable(), "-I", "-B", "-c", runnerSource + "\nmain()\n");
        Process process = launcher.launch(new LaunchSpec(command, workDir, environment(workDir)));
        try {
            ReportChannel report = ReportChannel.drain(process.getInputStream(), nonce, json, cap);
            CappedOutput output = CappedOutput.drain(process.getErrorStream(), cap, "output-reader");
            byte[] input =
                    (nonce + "\n" + json.writeValueAsString(job(request, timeout))).getBytes(StandardCharsets.UTF_8);
            // A platform thread: it blocks on a pipe (see CappedOutput).
            Thread.ofPlatform().daemon(true).name("job-writer").start(() -> write(process.getOutputStream(), input));
            boolean exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            // Always, not only on timeout: what the program forked must not outlive the run.
            launcher.destroyTree(process);
            process.waitFor();
            report.await(DRAIN_GRACE);
            output.await(DRAIN_GRACE);
            return new FinishedRun(
                            report.records(),
                            !exited,
                            process.exitValue(),
                            output.text(),
                            timeout,
                            expectedTests(request.tests()),
                            millis,
                            launcher.sandboxName())
                    .judge();
        } finally {
            launcher.destroyTree(process);
            process.getInputStream().close();
            process.getErrorStream().close();
        }
    }

    private ExecutionResult runSandboxed(ExecutionRequest request, Duration timeout, long started) {
        String nonce = HexFormat.of().formatHex(nonceBytes());
        int cap = (int)
                Math.min(Integer.MAX_VALUE, properties.execution().outputLimit().toBytes());
        ScoringProperties.Sandbox sandbox = properties.sandbox();
        Map<String, Object> job = job(request, timeout);
        @SuppressWarnings("unchecked")
        Map<String, Object> limits = new LinkedHashMap<>((Map<String, Object>) job.get("limits"));
        limits.put("processes", sandbox.processes());
        job.put("limits", limits);
        Map<String, Object> call = Map.of(
                "nonce", nonce,
                "job", job,
                "timeoutMillis", Math.max(1, timeout.toMillis()),
                "outputLimit", cap,
                "tmpfs", Map.of("size", sandbox.workDirSize().toBytes(), "inodes", sandbox.workDirInodes()));
        JsonNode answer;
        try {
            // The zygote kills the run at its deadline; this only guards against a wedged sandbox.
            answer = sandboxes.call(call, timeout.plus(SANDBOX_GRACE));
        } catch (IOException e) {
            log.warn("Sandboxed run failed: {}", e.getMessage());
            return harnessError(
                    "The sandbox is unavailable, so the program was not run: " + e.getMessage(), request, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return harnessError("The scoring service was interrupted while the program ran.", request, started);
        }
        if (answer.has("error")) {
            return harnessError(
                    "The sandbox could not start the run: "
                            + answer.path("error").asString(),
                    request,
                    started);
        }
        List<RunnerRecord> records = ReportChannel.parse(
                        Base64.getDecoder().decode(answer.path("report").asString()), nonce, json, cap)
                .records();
        String output = CappedOutput.text(
                Base64.getDecoder().decode(answer.path("output").asString()),
                answer.path("outputBytes").asLong());
        return new FinishedRun(
                        records,
                        answer.path("timedOut").asBoolean(),
                        answer.path("exitCode").asInt(),
                        output,
                        timeout,
                        expectedTests(request.tests()),
                        answer.path("millis").asLong(),
                        sandboxName())
                .judge();
    }

    /** Checks that python can be started at all; returns its version or throws with the reason. */
    public String probe() throws IOException, InterruptedException {
        if (sandboxes != null) {
            return sandboxes.probe();
        }
        Path workDir = Files.createTempDirectory("evalfleet-probe-");
        try {
            String script = "import resource, sys; print(sys.version.split()[0])";
            List<String> command = List.of(properties.python().executable(), "-I", "-B", "-c", script);
            Process process = launcher.launch(new LaunchSpec(command, workDir, environment(workDir)));
            try {
                process.getOutputStream().close();
                CappedOutput out = CappedOutput.drain(process.getInputStream(), 4096, "probe-stdout");
                CappedOutput err = CappedOutput.drain(process.getErrorStream(), 4096, "probe-stderr");
                if (!process.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IOException(properties.python().executable() + " did not answer within " + PROBE_TIMEOUT);
                }
                out.await(DRAIN_GRACE);
                err.await(DRAIN_GRACE);
                if (process.exitValue() != 0) {
                    throw new IOException(properties.python().executable() + " exited with " + process.exitValue()
                            + ": " + err.text().strip());
                }
                return out.text().strip();
            } finally {
                launcher.destroyTree(process);
            }
        } finally {
            deleteTree(workDir);
        }
    }

    private byte[] nonceBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The whole environment of the run: fixed, nothing taken from the service's own. */
    private static Map<String, String> environment(Path workDir) {
        return Map.of(
                "PATH", "/usr/local/bin:/usr/bin:/bin",
                "HOME", workDir.toString(),
                "LANG", "C.UTF-8",
                "PYTHONDONTWRITEBYTECODE", "1");
    }

    private Map<String, Object> job(ExecutionRequest request, Duration timeout) {
        TestSuite tests = request.tests();
        ScoringProperties.Limits limits = properties.limits();
        long cpuSeconds =
                (long) Math.ceil((timeout.toMillis() + limits.cpuTimeExtra().toMillis()) / 1000.0);
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("program", request.program());
        job.put("setup", tests.setup());
        job.put("checkProgram", tests.hasCheckFunction() ? tests.checkProgram() : null);
        job.put("asserts", tests.asserts());
        job.put("entryPoint", tests.entryPoint());
        job.put(
                "limits",
                Map.of(
                        "cpuSeconds", cpuSeconds,
                        "addressSpaceBytes", limits.memory().toBytes(),
                        "fileSizeBytes", limits.fileSize().toBytes(),
                        "openFiles", limits.openFiles()));
        return job;
    }

    private static void write(OutputStream stdin, byte[] input) {
        try (stdin) {
            stdin.write(input);
        } catch (IOException e) {
            // the process died before reading its job; the missing report says so
        }
    }

    private static int expectedTests(TestSuite tests) {
        return tests.hasCheckFunction() ? 0 : tests.asserts().size();
    }

    private ExecutionResult harnessError(String feedback, ExecutionRequest request, long started) {
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        int total = expectedTests(request.tests());
        return new ExecutionResult(Verdict.ERROR, 0, total, List.of(), feedback, millis, sandboxName());
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

    /** Deletes the run's directory, even parts the program made unreadable. */
    static void deleteTree(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
                try (Stream<Path> children = Files.list(path)) {
                    children.forEach(PythonRunner::deleteTree);
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete {}", path, e);
        }
    }
}
