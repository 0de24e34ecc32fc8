package dev.evalfleet.worker.model;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.worker.WorkerProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One configured model endpoint: its client, the limit of requests in flight to it, and the
 * retry budget of one request.
 */
public final class ModelEndpoint {

    private final EndpointDescriptor descriptor;
    private final ModelClient client;
    private final Semaphore permits;
    private final WorkerProperties.Retry retry;
    private final MeterRegistry meterRegistry;

    ModelEndpoint(
            EndpointDescriptor descriptor, ModelClient client, WorkerProperties.Retry retry, MeterRegistry meterRegistry) {
        this.descriptor = descriptor;
        this.client = client;
        this.permits = new Semaphore(descriptor.maxConcurrency(), true);
        this.retry = retry;
        this.meterRegistry = meterRegistry;
    }

    public EndpointDescriptor descriptor() {
        return descriptor;
    }

    /**
     * Asks the model, retrying failures within the budget; the permit is held only while a request
     * is in flight, so a backing-off sample does not block others.
     *
     * @throws ModelEndpointException when every attempt failed
     * @throws InterruptedException when the worker is stopping
     */
    public ModelAnswer answer(ModelRequest request) throws InterruptedException {
        Duration backoff = retry.backoff();
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(request);
            } catch (RuntimeException failure) {
                if (attempt >= retry.maxAttempts()) {
                    throw new ModelEndpointException(
                            "model endpoint '%s' (model %s) failed after %d attempt(s): %s"
                                    .formatted(descriptor.name(), request.model(), attempt, describe(failure)),
                            failure);
                }
            }
            Thread.sleep(backoff);
            backoff = backoff.multipliedBy(2);
        }
    }

    private ModelAnswer attempt(ModelRequest request) throws InterruptedException {
        permits.acquire();
        long start = System.nanoTime();
        String outcome = "error";
        try {
            ModelAnswer answer = client.answer(request);
            outcome = "success";
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new ModelAnswer(answer.text(), answer.promptTokens(), answer.completionTokens(), millis);
        } finally {
            permits.release();
            Timer.builder("evalfleet.worker.model.latency")
                    .description("Time of one model request")
                    .tag("endpoint", descriptor.name())
                    .tag("outcome", outcome)
                    .register(meterRegistry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String description = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        // The root cause of a timeout or refused connection says more than the wrapper does.
        return root == failure
                ? description
                : description + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
