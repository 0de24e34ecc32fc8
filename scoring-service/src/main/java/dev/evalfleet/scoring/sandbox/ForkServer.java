package dev.evalfleet.scoring.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One long-lived bubblewrap sandbox holding a warm python interpreter ({@code zygote.py}) that forks
 * a fresh, fully limited child per run. Serves one run at a time; once anything goes wrong with it
 * (it died, it answered garbage, it missed the deadline) it is killed and never used again.
 */
final class ForkServer {

    // bwrap --die-with-parent ties the sandbox to the thread that started it, not to the JVM: start
    // every sandbox from one platform thread that lives as long as the service.
    private static final ExecutorService STARTER = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("fork-server-starter").daemon(true).factory());

    /** Put after the last answer when the sandbox's stdout ends (compared by identity). */
    private static final String ENDED = new String("the sandbox ended");

    private final Process process;
    private final int slot;
    private final AtomicBoolean retired = new AtomicBoolean();
    private final OutputStream requests;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final CappedOutput errors;
    private final JsonMapper json;

    private ForkServer(Process process, int slot, JsonMapper json) {
        this.process = process;
        this.slot = slot;
        this.json = json;
        this.requests = process.getOutputStream();
        BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        // A platform thread that lives as long as the sandbox: it blocks on a pipe (see CappedOutput).
        Thread.ofPlatform().daemon(true).name("fork-server-answers").start(() -> readAnswers(lines));
        this.errors = CappedOutput.drain(process.getErrorStream(), 16 * 1024, "fork-server-stderr");
    }

    private void readAnswers(BufferedReader lines) {
        try (lines) {
            for (String line; (line = lines.readLine()) != null; ) {
                answers.add(line);
            }
        } catch (IOException e) {
            // the sandbox is gone
        }
        answers.add(ENDED);
    }

    /** Starts a sandbox; {@code slot} is its place among the pool's live ones (see ForkServerPool). */
    static ForkServer start(List<String> command, int slot, JsonMapper json) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        // bwrap's own environment would be visible in the sandbox as /proc/1/environ: keep it empty.
        builder.environment().clear();
        try {
            return new ForkServer(STARTER.submit(builder::start).get(), slot, json);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the sandbox", e);
        }
    }

    /**
     * Sends one request and waits for its answer, at most {@code wait}. Throws, and leaves this
     * server dead, if there is none; the zygote enforces the run's own deadline well before.
     */
    ForkServerAnswer call(ForkServerRequest request, Duration wait) throws IOException, InterruptedException {
        byte[] line = (json.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
        String text;
        try {
            requests.write(line);
            requests.flush();
            text = answers.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            kill();
            throw new IOException("the sandbox ended: " + failureReason(), e);
        } catch (InterruptedException e) {
            kill();
            throw e;
        }
        if (text == null) {
            kill();
            throw new IOException("the sandbox did not answer within " + wait.toMillis() + " ms");
        }
        if (text == ENDED) {
            kill();
            throw new IOException("the sandbox ended: " + failureReason());
        }
        try {
            return json.readValue(text, ForkServerAnswer.class);
        } catch (JacksonException e) {
            kill();
            throw new IOException("the sandbox answered garbage: " + e.getOriginalMessage(), e);
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    int slot() {
        return slot;
    }

    /** Kills the sandbox; true only the first time, so the pool gives its slot back once. */
    boolean retire() {
        kill();
        return retired.compareAndSet(false, true);
    }

    /** What the sandbox wrote to stderr, e.g. why bubblewrap could not create its namespaces. */
    String failureReason() {
        try {
            process.waitFor(500, TimeUnit.MILLISECONDS);
            errors.await(Duration.ofMillis(500));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String text = errors.text().strip();
        String exit = process.isAlive() ? "" : " (exit code " + process.exitValue() + ")";
        return (text.isEmpty() ? "no message" : text) + exit;
    }

    /** Kills the sandbox: bwrap --die-with-parent takes everything inside down with it. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
