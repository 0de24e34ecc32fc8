package dev.evalfleet.coordinator.access;

import dev.evalfleet.coordinator.job.Api;
import dev.evalfleet.coordinator.job.StandInWorker;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hostile-client suite's ground: the coordinator on a real socket with the real PostgreSQL and
 * RabbitMQ, an endpoint a stand-in worker announces, the sample dataset, and the tests' admin key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class HostileClientTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RabbitTemplate rabbit;

    final String endpoint = "reference-" + UUID.randomUUID();
    Api admin;
    String datasetId;

    @BeforeEach
    void announceAnEndpointAndImportTheSampleDataset() throws Exception {
        admin = new Api("http://localhost:" + port, json);
        StandInWorker.announced(rabbit, endpoint, admin);
        datasetId = admin.importSampleDataset();
    }

    /** A new job's body on the sample dataset and the announced endpoint, for the problems named. */
    String job(String... problems) {
        return jobWith(null, problems);
    }

    /** The same, with more fields ({@code "samplesPerProblem": 2}, or a field the API must refuse). */
    String jobWith(String fields, String... problems) {
        String named = Arrays.stream(problems).map(p -> '"' + p + '"').collect(Collectors.joining(", "));
        return """
                {"datasetId": "%s", "endpoint": "%s", "model": "m", "problems": [%s]%s}""".formatted(datasetId, endpoint, named, fields == null ? "" : ", " + fields);
    }

    long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
