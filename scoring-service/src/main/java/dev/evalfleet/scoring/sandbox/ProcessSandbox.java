package dev.evalfleet.scoring.sandbox;

import dev.evalfleet.scoring.ScoringProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs each program in a fresh {@code python3 -I} process with rlimits, a scrubbed environment and a
 * private temp dir: the {@code unsandboxed} mode, only where an operator chose it.
 *
 * <p>The runner reads its nonce and job from stdin to the end and replaces stdin with /dev/null before
 * any untrusted code runs; it reports on a private duplicate of its stdout, while the program's own
 * stdout and stderr both go to the stderr pipe, read with a cap.
 */
final class ProcessSandbox implements ProgramSandbox {

    private static final Logger log = LoggerFactory.getLogger(ProcessSandbox.class);

    // After a kill, the pipes close as soon as the kernel has torn the processes down.
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final ProcessLauncher launcher;
    private final JsonMapper json;
    private final String python;
    private final String runnerSource;

    ProcessSandbox(ProcessLauncher launcher, JsonMapper json, ScoringProperties properties, String runnerSource) {
        this.launcher = launcher;
        this.json = json;
        this.python = properties.python().executable();
        this.runnerSource = runnerSource;
    }

    @Override
    public String name() {
        return launcher.sandboxName();
    }

    @Override
    public RawRun run(String nonce, RunnerJob job, RunBudget budget)
            throws RunNotStartedException, InterruptedException {
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("evalfleet-run-");
            return runIn(workDir, nonce, job, budget);
        } catch (IOException e) {
            log.warn("Could not start a run", e);
            throw new RunNotStartedException("The scoring service could not start python: " + e.getMessage());
        } finally {
            if (workDir != null) {
                deleteTree(workDir);
            }
        }
    }

    private RawRun runIn(Path workDir, String nonce, RunnerJob job, RunBudget budget)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        List<String> command = List.of(python, "-I", "-B", "-c", runnerSource + "\nmain()\n");
        Process process = launcher.launch(new LaunchSpec(command, workDir, environment(workDir)));
        try {
            ReportChannel report = ReportChannel.drain(process.getInputStream(), nonce, json, budget.outputLimit());
            CappedOutput output = CappedOutput.drain(process.getErrorStream(), budget.outputLimit(), "output-reader");
            byte[] input = (nonce + "\n" + json.writeValueAsString(job)).getBytes(StandardCharsets.UTF_8);
            // A platform thread: it blocks on a pipe (see CappedOutput).
            Thread.ofPlatform().daemon(true).name("job-writer").start(() -> write(process.getOutputStream(), input));
            boolean exited = process.waitFor(budget.wall().toNanos(), TimeUnit.NANOSECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            // Always, not only on timeout: what the program forked must not outlive the run.
            launcher.destroyTree(process);
            process.waitFor();
            report.await(DRAIN_GRACE);
            output.await(DRAIN_GRACE);
            return new RawRun(report.records(), !exited, process.exitValue(), output.text(), millis);
        } finally {
            launcher.destroyTree(process);
            process.getInputStream().close();
            process.getErrorStream().close();
        }
    }

    @Override
    public String probe() throws IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("evalfleet-probe-");
        try {
            String script = "import resource, sys; print(sys.version.split()[0])";
            List<String> command = List.of(python, "-I", "-B", "-c", script);
            Process process = launcher.launch(new LaunchSpec(command, workDir, environment(workDir)));
            try {
                process.getOutputStream().close();
                CappedOutput out = CappedOutput.drain(process.getInputStream(), 4096, "probe-stdout");
                CappedOutput err = CappedOutput.drain(process.getErrorStream(), 4096, "probe-stderr");
                if (!process.waitFor(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IOException(python + " did not answer within " + PROBE_TIMEOUT);
                }
                out.await(DRAIN_GRACE);
                err.await(DRAIN_GRACE);
                if (process.exitValue() != 0) {
                    throw new IOException(python + " exited with " + process.exitValue() + ": "
                            + err.text().strip());
                }
                return out.text().strip();
            } finally {
                launcher.destroyTree(process);
            }
        } finally {
            deleteTree(workDir);
        }
    }

    /** The whole environment of the run: fixed, nothing taken from the service's own. */
    private static Map<String, String> environment(Path workDir) {
        return Map.of(
                "PATH", "/usr/local/bin:/usr/bin:/bin",
                "HOME", workDir.toString(),
                "LANG", "C.UTF-8",
                "PYTHONDONTWRITEBYTECODE", "1");
    }

    private static void write(OutputStream stdin, byte[] input) {
        try (stdin) {
            stdin.write(input);
        } catch (IOException e) {
            // the process died before reading its job; the missing report says so
        }
    }

    /** Deletes the run's directory, even parts the program made unreadable. */
    static void deleteTree(Path path) {
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
                try (Stream<Path> children = Files.list(path)) {
                    children.forEach(ProcessSandbox::deleteTree);
                }
            }
            Files.deleteIfExists(path);
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete {}", path, e);
        }
    }
}
