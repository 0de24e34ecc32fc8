package dev.evalfleet.coordinator.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.EndpointDescriptor;
import dev.evalfleet.contracts.Messaging;
import dev.evalfleet.contracts.WorkerHeartbeat;
import dev.evalfleet.coordinator.access.Caller;
import dev.evalfleet.coordinator.access.Quotas;
import dev.evalfleet.coordinator.access.Role;
import dev.evalfleet.coordinator.dataset.DatasetCatalog;
import dev.evalfleet.coordinator.job.Api;
import dev.evalfleet.coordinator.worker.WorkerRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Tasks created while the broker is unreachable are published once it is back; none is lost. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class OutboxOutageIntegrationTest {

    private static final TcpProxy brokerLink = startProxy();

    @DynamicPropertySource
    static void connectThroughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.rabbitmq.port", brokerLink::port);
    }

    @AfterAll
    static void closeProxy() throws IOException {
        brokerLink.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    WorkerRegistry workers;

    @Autowired
    DatasetCatalog datasets;

    @Autowired
    JdbcClient jdbc;

    @Value("${spring.rabbitmq.virtual-host}")
    String virtualHost;

    @Test
    void tasksCreatedWhileTheBrokerIsDownArePublishedWhenItReturns() throws Exception {
        String endpoint = "reference-" + UUID.randomUUID();
        workers.record(new WorkerHeartbeat(
                "outage-worker",
                "localhost",
                "test",
                List.of(new EndpointDescriptor(endpoint, "reference", 1, 0)),
                1,
                0,
                0,
                Instant.now(),
                Instant.now()));
        UUID datasetId = datasets.importFile(
                        "sample-problems",
                        Files.readAllBytes(Path.of("../examples/sample-problems.jsonl")),
                        new Caller("outage-test", Role.ADMIN, "api-key", new Quotas(10, 1000, 1 << 20, 10, 1000)))
                .id();

        brokerLink.cut();
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/jobs"))
                                .header("Authorization", "Bearer " + Api.ADMIN_KEY)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("""
                                {"datasetId": "%s", "endpoint": "%s", "model": "m", "problems": ["Sample/0", "Sample/1", "Sample/2"]}""".formatted(datasetId, endpoint)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as("the API works without the broker").isEqualTo(202);
        String jobId = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> unpublished(jobId) == 3);

        brokerLink.restore();
        await().atMost(Duration.ofSeconds(60)).until(() -> unpublished(jobId) == 0);

        CachingConnectionFactory direct = new CachingConnectionFactory("127.0.0.1", 5672);
        direct.setVirtualHost(virtualHost);
        try {
            RabbitTemplate broker = new RabbitTemplate(direct);
            List<String> bodies = new ArrayList<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                // basic.get: messages other tests left ahead of ours come off without a consumer each
                for (Message message = broker.receive(Messaging.TASK_QUEUE);
                        message != null;
                        message = broker.receive(Messaging.TASK_QUEUE)) {
                    bodies.add(new String(message.getBody(), StandardCharsets.UTF_8));
                }
                return bodies.stream().filter(body -> body.contains(jobId)).count() == 3;
            });
        } finally {
            direct.destroy();
        }
    }

    private long unpublished(String jobId) {
        return jdbc.sql("""
                select count(*) from outbox_message o join task t on t.id = o.task_id
                where t.job_id = :job::uuid and o.published_at is null
                """).param("job", jobId).query(Long.class).single();
    }

    private static TcpProxy startProxy() {
        try {
            return new TcpProxy("127.0.0.1", 5672);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
