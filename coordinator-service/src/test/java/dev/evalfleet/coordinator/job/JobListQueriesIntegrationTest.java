package dev.evalfleet.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.json.JsonMapper;

/**
 * Listing jobs costs the same number of SQL statements however many jobs the page holds. The relay,
 * the dispatcher and the metrics are slowed down, and the count starts once no statement runs, so that
 * the statements counted are the listing's own.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "evalfleet.coordinator.outbox.poll-interval=1h",
            "evalfleet.coordinator.dispatch.interval=1h",
            "evalfleet.coordinator.metrics-interval=1h"
        })
@ActiveProfiles("test")
@Import(StatementCounter.class)
class JobListQueriesIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JsonMapper json;

    @Test
    void listingJobsRunsAFixedNumberOfQueriesWhateverThePageHolds() throws Exception {
        Api api = new Api("http://localhost:" + port, json);
        String endpoint = "reference-" + UUID.randomUUID();
        new StandInWorker(rabbit, endpoint).heartbeat("test-worker-" + UUID.randomUUID(), Instant.now());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("/api/endpoints").toString().contains(endpoint));
        String datasetId = api.importSampleDataset();
        String job = """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "samplesPerProblem": 2}""".formatted(datasetId, endpoint);
        String murphy = """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "strategy": {"type": "murphy", "candidates": 2}}""".formatted(datasetId, endpoint);

        List<String> jobs = new ArrayList<>();
        jobs.add(api.post("/api/jobs", job).body().get("id").asString());
        long onePage = statementsOf(api, 1);
        for (int i = 0; i < 4; i++) {
            jobs.add(api.post("/api/jobs", i % 2 == 0 ? job : murphy)
                    .body()
                    .get("id")
                    .asString());
        }
        long fivePage = statementsOf(api, 5);

        assertThat(fivePage).as("statements for a page of five jobs").isEqualTo(onePage);
        // their tasks were never published; cancelling drops them from the outbox for the tests after this
        for (String id : jobs) {
            assertThat(api.post("/api/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
        }
    }

    private static long statementsOf(Api api, int size) throws Exception {
        // creating a job wakes the dispatcher and the relay; the listing is measured once they are done
        AtomicLong seen = new AtomicLong(-1);
        await().pollInterval(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(20))
                .until(() -> {
                    long now = StatementCounter.STATEMENTS.get();
                    return seen.getAndSet(now) == now;
                });
        long before = StatementCounter.STATEMENTS.get();
        Api.Response page = api.get("/api/jobs?size=" + size);
        long statements = StatementCounter.STATEMENTS.get() - before;
        assertThat(page.body().get("items").size()).isEqualTo(size);
        return statements;
    }
}
