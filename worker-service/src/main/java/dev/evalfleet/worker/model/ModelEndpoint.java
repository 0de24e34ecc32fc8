package dev.evalfleet.worker.model;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.worker.WorkerProperties;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One configured model endpoint: its client, the limit of requests in flight to it, its circuit
 * breaker, and how a failed request is retried.
 */
public final class ModelEndpoint {

    private final EndpointDescriptor descriptor;
    private final ModelClient client;
    private final Semaphore permits;
    private final CircuitBreaker circuitBreaker;
    private final WorkerProperties.Retry retry;
    private final IntervalFunction backoff;
    private final MeterRegistry meterRegistry;
    private final ServerSignals signals;

    ModelEndpoint(
            EndpointDescriptor descriptor,
            ModelClient client,
            CircuitBreaker circuitBreaker,
            WorkerProperties.Retry retry,
            MeterRegistry meterRegistry) {
        this(descriptor, client, circuitBreaker, retry, meterRegistry, endpoint -> {});
    }

    ModelEndpoint(
            EndpointDescriptor descriptor,
            ModelClient client,
            CircuitBreaker circuitBreaker,
            WorkerProperties.Retry retry,
            MeterRegistry meterRegistry,
            ServerSignals signals) {
        this.signals = signals;
        this.descriptor = descriptor;
        this.client = client;
        this.permits = new Semaphore(descriptor.maxConcurrency(), true);
        this.circuitBreaker = circuitBreaker;
        this.retry = retry;
        // Exponential with jitter, so workers that failed together do not retry together.
        this.backoff =
                IntervalFunction.ofExponentialRandomBackoff(retry.backoff(), 2.0, retry.jitter(), retry.maxBackoff());
        this.meterRegistry = meterRegistry;
    }

    public EndpointDescriptor descriptor() {
        return descriptor;
    }

    CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** Model requests in flight to this endpoint now. */
    int requestsInFlight() {
        return descriptor.maxConcurrency() - permits.availablePermits();
    }

    /**
     * Asks the model. Failures worth a retry (see {@link ModelFailures}) and calls refused by an
     * open circuit breaker are retried after a jittered exponential backoff, while the call has
     * attempts left and the task has retries left in its {@code budget}. The permit is held only
     * while a request is in flight, so a backing-off sample does not block others.
     *
     * @throws ModelEndpointException when the model could not answer
     * @throws InterruptedException when the task is cancelled or the worker is stopping
     */
    public ModelAnswer answer(ModelRequest request, RetryBudget budget) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            RuntimeException failure;
            try {
                return attempt(request);
            } catch (RuntimeException e) {
                failure = e;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("model request to '%s' interrupted".formatted(descriptor.name()));
            }
            if (!(failure instanceof CallNotPermittedException) && !ModelFailures.worthRetrying(failure)) {
                throw failed(request, "refused the request (not retried)", failure);
            }
            if (attempt >= retry.maxAttempts()) {
                throw failed(request, "failed after %d attempt(s)".formatted(attempt), failure);
            }
            if (!budget.trySpend()) {
                throw failed(
                        request,
                        "failed after %d attempt(s), and the task's retry budget of %d retries is spent"
                                .formatted(attempt, budget.retries()),
                        failure);
            }
            Thread.sleep(backoff.apply(attempt));
        }
    }

    /** One request, through the circuit breaker and within the endpoint's concurrency limit. */
    private ModelAnswer attempt(ModelRequest request) throws InterruptedException {
        // Before the permit: an open breaker fails the call at once instead of queueing it.
        circuitBreaker.acquirePermission();
        try {
            permits.acquire();
        } catch (InterruptedException interrupted) {
            circuitBreaker.releasePermission();
            throw interrupted;
        }
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        String outcome = "error";
        try {
            ModelAnswer answer = client.answer(request);
            circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            outcome = "success";
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return new ModelAnswer(answer.text(), answer.promptTokens(), answer.completionTokens(), millis, startedAt);
        } catch (RuntimeException failure) {
            if (Thread.currentThread().isInterrupted()) {
                // Cancelled by us, not failed by the server: the breaker learns nothing from it.
                circuitBreaker.releasePermission();
            } else {
                circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
                if (ModelFailures.overloaded(failure)) {
                    signals.pushedBack(descriptor.name());
                }
            }
            throw failure;
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

    private ModelEndpointException failed(ModelRequest request, String what, RuntimeException failure) {
        return new ModelEndpointException(
                "model endpoint '%s' (model %s) %s: %s"
                        .formatted(descriptor.name(), request.model(), what, describe(failure)),
                failure);
    }

    static String describe(Throwable failure) {
        if (failure instanceof CallNotPermittedException) {
            return "circuit breaker is open after repeated failures, no request was sent";
        }
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
