package dev.evalfleet.scoring.sandbox;

import dev.evalfleet.scoring.ScoringProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs in bubblewrap: each run is a fresh child forked by a warm interpreter inside a long-lived
 * sandbox ({@link ForkServer}, {@code zygote.py}). Fails closed: without bubblewrap nothing runs.
 */
final class ForkServerSandbox implements ProgramSandbox {

    private static final Logger log = LoggerFactory.getLogger(ForkServerSandbox.class);

    // The zygote kills the run at its deadline; this only guards against a wedged sandbox.
    private static final Duration SANDBOX_GRACE = Duration.ofSeconds(10);

    private final ScoringProperties.Sandbox settings;
    private final JsonMapper json;
    private final ForkServerPool servers;

    ForkServerSandbox(ScoringProperties properties, JsonMapper json, String zygoteSource) {
        this.settings = properties.sandbox();
        this.json = json;
        this.servers = new ForkServerPool(properties, json, zygoteSource);
    }

    @Override
    public String name() {
        return "bubblewrap";
    }

    @Override
    public RawRun run(String nonce, RunnerJob job, RunBudget budget)
            throws RunNotStartedException, InterruptedException {
        ForkServerRequest request = new ForkServerRequest(
                nonce,
                job.withProcesses(settings.processes()),
                Math.max(1, budget.wall().toMillis()),
                budget.cpu().toMillis(),
                budget.outputLimit(),
                new ForkServerRequest.Tmpfs(settings.workDirSize().toBytes(), settings.workDirInodes()),
                null);
        ForkServerAnswer answer;
        try {
            answer = servers.call(request, budget.wall().plus(SANDBOX_GRACE));
        } catch (IOException e) {
            log.warn("Sandboxed run failed: {}", e.getMessage());
            throw new RunNotStartedException(
                    "The sandbox is unavailable, so the program was not run: " + e.getMessage());
        }
        if (answer.error() != null) {
            throw new RunNotStartedException("The sandbox could not start the run: " + answer.error());
        }
        Base64.Decoder base64 = Base64.getDecoder();
        return new RawRun(
                ReportChannel.parse(base64.decode(answer.report()), nonce, json, budget.outputLimit())
                        .records(),
                answer.timedOut(),
                answer.exitCode(),
                CappedOutput.text(base64.decode(answer.output()), answer.outputBytes()),
                answer.millis());
    }

    @Override
    public String probe() throws IOException, InterruptedException {
        return servers.probe();
    }

    @Override
    public void warmUp(int runs) {
        servers.warmUp(runs);
    }

    @Override
    public void shutdown() {
        servers.shutdown();
    }
}
