package dev.evalfleet.scoring.execution;

import static dev.evalfleet.scoring.execution.ExecutionApiTest.SQUARE;
import static dev.evalfleet.scoring.execution.ExecutionApiTest.SQUARE_TESTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.evalfleet.contracts.ExecutionRequest;
import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service with a single carrier thread for all its virtual threads and no spare one (surefire's
 * {@code one-carrier} execution sets {@code jdk.virtualThreadScheduler.parallelism} and {@code
 * maxPoolSize} to 1). A virtual thread that blocks on a pipe can keep its carrier; here that would
 * stop everything at once, so this fails (times out) if any pipe of a fork server or a run is read or
 * waited on from a virtual thread. With as many carriers as cores the same mistake hung the service
 * only now and then, under load.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OneCarrierTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void runsOnOneCarrierThread() {
        assertThat(Runtime.getRuntime().availableProcessors()).isPositive();
        assertThat(System.getProperty("jdk.virtualThreadScheduler.maxPoolSize"))
                .as("run by surefire's one-carrier execution")
                .isEqualTo("1");
        HttpCalls http = new HttpCalls(port, json);
        List<ExecutionRequest> batch =
                new ArrayList<>(Collections.nCopies(12, new ExecutionRequest(SQUARE, SQUARE_TESTS, 5.0)));
        batch.add(new ExecutionRequest("def square(x):\n    while True:\n        pass\n", SQUARE_TESTS, 1.0));

        List<Verdict> verdicts = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
                List<Future<HttpCalls.Response>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    calls.add(clients.submit(() -> http.post("/api/executions/batch", batch)));
                }
                List<Verdict> seen = new ArrayList<>();
                for (Future<HttpCalls.Response> call : calls) {
                    HttpCalls.Response response = call.get();
                    assertThat(response.status()).isEqualTo(200);
                    for (ExecutionResult result : json.treeToValue(response.body(), ExecutionResult[].class)) {
                        seen.add(result.verdict());
                    }
                }
                return seen;
            }
        });

        assertThat(verdicts).hasSize(4 * 13);
        assertThat(verdicts.stream().filter(v -> v == Verdict.PASSED)).hasSize(4 * 12);
        assertThat(verdicts.stream().filter(v -> v == Verdict.TIMED_OUT)).hasSize(4);
    }
}
