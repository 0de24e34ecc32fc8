package dev.evalfleet.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import dev.evalfleet.contracts.Messaging;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Poison tasks, unreadable messages and silent workers, against the real broker and database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ReliabilityIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JsonMapper json;

    private Api api;
    private StandInWorker worker;
    private final String endpoint = "reference-" + UUID.randomUUID();

    @BeforeEach
    void setUp() {
        api = new Api("http://localhost:" + port, json);
        worker = StandInWorker.announced(rabbit, endpoint, api);
    }

    @Test
    void poisonTaskIsDeadLetteredAfterItsDeliveryLimitAndShowsAsFailed() throws Exception {
        String jobId = createJob("Sample/9");
        // a worker that crashes on this task every time: the broker redelivers it until its limit
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            GetResponse delivery = rabbit.execute(channel -> channel.basicGet(Messaging.TASK_QUEUE, false));
            if (delivery != null) {
                rabbit.execute(channel -> {
                    channel.basicNack(delivery.getEnvelope().getDeliveryTag(), false, true);
                    return null;
                });
            }
            return api.get("/api/jobs/" + jobId).body().get("status").asString().equals("FAILED");
        });
        JsonNode job = api.get("/api/jobs/" + jobId).body();
        assertThat(job.get("tasks").get("failed").asInt()).isEqualTo(1);
        assertThat(job.get("failedTasks").get(0).get("reason").asString())
                .startsWith("dead-lettered by the broker: delivery_limit");
    }

    @Test
    void unreadableTaskMessageIsDeadLetteredAndItsTaskFailed() throws Exception {
        String jobId = createJob("Sample/10");
        GetResponse original = await().until(
                        () -> rabbit.execute(channel -> channel.basicGet(Messaging.TASK_QUEUE, true)), r -> r != null);
        // the same message, mangled in transit: a worker cannot read it and rejects it
        MessageProperties properties = new MessageProperties();
        properties.setMessageId(original.getProps().getMessageId());
        rabbit.send(
                Messaging.TASK_EXCHANGE,
                Messaging.TASK_ROUTING_KEY,
                new org.springframework.amqp.core.Message("{not json".getBytes(StandardCharsets.UTF_8), properties));
        GetResponse mangled = await().until(
                        () -> rabbit.execute(channel -> channel.basicGet(Messaging.TASK_QUEUE, false)), r -> r != null);
        rabbit.execute(channel -> {
            channel.basicReject(mangled.getEnvelope().getDeliveryTag(), false);
            return null;
        });
        JsonNode job = await().until(
                        () -> api.get("/api/jobs/" + jobId).body(),
                        j -> j.get("status").asString().equals("FAILED"));
        assertThat(job.get("failedTasks").get(0).get("reason").asString())
                .startsWith("dead-lettered by the broker: rejected");
    }

    @Test
    void silentWorkerGoesStaleThenGoneAndANewOneIsUp() throws Exception {
        String id = "silent-" + UUID.randomUUID();
        worker.heartbeat(id, Instant.now().minusSeconds(20));
        await().until(() -> statusOf(id).equals("STALE"));
        worker.heartbeat(id, Instant.now().minusSeconds(90));
        assertThat(statusOf(id))
                .as("an older heartbeat arriving late changes nothing")
                .isEqualTo("STALE");
        String gone = "gone-" + UUID.randomUUID();
        worker.heartbeat(gone, Instant.now().minusSeconds(90));
        await().until(() -> statusOf(gone).equals("GONE"));
        worker.heartbeat(gone, Instant.now());
        await().until(() -> statusOf(gone).equals("UP"));
    }

    private String statusOf(String workerId) throws Exception {
        for (JsonNode worker : api.get("/api/workers").body()) {
            if (worker.get("workerId").asString().equals(workerId)) {
                return worker.get("status").asString();
            }
        }
        return "ABSENT";
    }

    private String createJob(String problem) throws Exception {
        String datasetId = api.importSampleDataset();
        return api.post("/api/jobs", """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "problems": ["%s"]}""".formatted(datasetId, endpoint, problem))
                .body()
                .get("id")
                .asString();
    }
}
