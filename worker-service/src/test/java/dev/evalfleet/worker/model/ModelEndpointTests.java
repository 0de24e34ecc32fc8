package dev.evalfleet.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.worker.WorkerProperties;
import dev.evalfleet.worker.extraction.ChatPrompt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ModelEndpointTests {

    private static final ModelRequest REQUEST =
            new ModelRequest("m", new ChatPrompt("s", "u"), GenerationSettings.defaults(), null);

    @Test
    void neverMoreRequestsInFlightThanMaxConcurrency() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ModelClient slowModel = request -> {
            started.incrementAndGet();
            maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return new ModelAnswer("ok", null, null, 0);
        };
        ModelEndpoint endpoint = new ModelEndpoint(
                new EndpointDescriptor("slow", "ollama", 2),
                slowModel,
                ModelEndpoints.circuitBreaker(
                        "slow", new WorkerProperties.CircuitBreaker(50, 10, 5, Duration.ofSeconds(30), 1)),
                new WorkerProperties.Retry(1, Duration.ofMillis(1), Duration.ofMillis(1), 0.5, 0),
                new SimpleMeterRegistry());

        try (ExecutorService samplers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                samplers.submit(() -> endpoint.answer(REQUEST, RetryBudget.of(0)));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> started.get() == 2);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> started.get() == 2);
            release.countDown();
        }

        assertThat(started).hasValue(6);
        assertThat(maxSeen).hasValue(2);
    }

    @Test
    void referenceEndpointAnswersWithTheReferenceSolution() throws Exception {
        var problem = new dev.evalfleet.contracts.ProblemPayload(
                "HumanEval/0",
                dev.evalfleet.contracts.ProblemFormat.HUMAN_EVAL,
                "def f():\n",
                "f",
                null,
                "    return 1\n");

        ModelAnswer answer = new ReferenceModelClient()
                .answer(new ModelRequest(
                        "reference", new ChatPrompt("s", "u"), GenerationSettings.defaults(), problem));

        assertThat(answer.text()).isEqualTo("    return 1\n");
    }
}
