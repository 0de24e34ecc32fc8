package dev.evalfleet.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The broker users of rabbitmq/service-users.json may do what their service does with the names in
 * contracts' Messaging, and not what the others do. (RabbitMQ matches the patterns as PCRE; these use nothing
 * Java's regular expressions read differently.)
 */
class BrokerUsersTest {

    private static final String CONTRACTS = "contracts/src/main/java/dev/evalfleet/contracts/Messaging.java";

    private final Map<String, String> names = messagingNames();
    private final Map<String, Map<String, String>> users = permissions();

    @Test
    void kubernetesRunsTheSameScriptAndPermissionsAsCompose() {
        for (String file : List.of("service-users.py", "service-users.json")) {
            assertThat(Repository.read("k8s/trial-infra/rabbitmq-users/" + file))
                    .as(file)
                    .isEqualTo(Repository.read("rabbitmq/" + file));
        }
    }

    @Test
    void coordinatorDeclaresTheTopologyPublishesTasksAndCancellationsAndConsumesResults() {
        var coordinator = users.get("coordinator");
        for (String declared : List.of(
                "TASK_EXCHANGE",
                "TASK_QUEUE",
                "DEAD_LETTER_EXCHANGE",
                "TASK_DEAD_LETTER_QUEUE",
                "RESULT_EXCHANGE",
                "RESULT_QUEUE",
                "WORKER_EXCHANGE",
                "WORKER_HEARTBEAT_QUEUE",
                "CONTROL_EXCHANGE",
                "ENDPOINT_FEEDBACK_EXCHANGE",
                "ENDPOINT_FEEDBACK_QUEUE")) {
            assertThat(allows(coordinator, "configure", names.get(declared)))
                    .as("declare " + declared)
                    .isTrue();
        }
        for (String published : List.of("TASK_EXCHANGE", "CONTROL_EXCHANGE")) {
            assertThat(allows(coordinator, "write", names.get(published)))
                    .as("publish " + published)
                    .isTrue();
        }
        for (String consumed : List.of(
                "RESULT_QUEUE", "WORKER_HEARTBEAT_QUEUE", "ENDPOINT_FEEDBACK_QUEUE", "TASK_DEAD_LETTER_QUEUE")) {
            assertThat(allows(coordinator, "read", names.get(consumed)))
                    .as("consume " + consumed)
                    .isTrue();
        }
        assertThat(allows(coordinator, "write", names.get("WORKER_EXCHANGE")))
                .as("send heartbeats as a worker")
                .isFalse();
        assertThat(allows(coordinator, "read", names.get("CONTROL_EXCHANGE") + ".worker-1.abc"))
                .as("read a worker's control queue")
                .isFalse();
    }

    @Test
    void workersTakeTasksAndSendResultsButReadNothingMeantForTheCoordinator() {
        var worker = users.get("worker");
        String controlQueue = names.get("CONTROL_EXCHANGE") + ".worker-1.abc";
        for (String declared : List.of(
                "TASK_EXCHANGE",
                "TASK_QUEUE",
                "RESULT_EXCHANGE",
                "ENDPOINT_FEEDBACK_EXCHANGE",
                "CONTROL_EXCHANGE",
                "WORKER_EXCHANGE")) {
            assertThat(allows(worker, "configure", names.get(declared)))
                    .as("declare " + declared)
                    .isTrue();
        }
        assertThat(allows(worker, "configure", controlQueue)).isTrue();
        assertThat(allows(worker, "write", controlQueue))
                .as("bind its control queue")
                .isTrue();
        assertThat(allows(worker, "read", controlQueue))
                .as("consume its control queue")
                .isTrue();
        assertThat(allows(worker, "write", names.get("DEAD_LETTER_EXCHANGE")))
                .as("declare the task queue with its dead-letter exchange")
                .isTrue();
        for (String published : List.of("RESULT_EXCHANGE", "ENDPOINT_FEEDBACK_EXCHANGE", "WORKER_EXCHANGE")) {
            assertThat(allows(worker, "write", names.get(published)))
                    .as("publish " + published)
                    .isTrue();
        }
        assertThat(allows(worker, "read", names.get("TASK_QUEUE")))
                .as("consume tasks")
                .isTrue();
        for (String theirs : List.of(
                "RESULT_QUEUE", "WORKER_HEARTBEAT_QUEUE", "ENDPOINT_FEEDBACK_QUEUE", "TASK_DEAD_LETTER_QUEUE")) {
            assertThat(allows(worker, "read", names.get(theirs)))
                    .as("consume " + theirs)
                    .isFalse();
        }
        // the results and feedback queues share their names with exchanges the worker declares
        for (String theirs : List.of("WORKER_HEARTBEAT_QUEUE", "TASK_DEAD_LETTER_QUEUE")) {
            assertThat(allows(worker, "configure", names.get(theirs)))
                    .as("declare or delete " + theirs)
                    .isFalse();
        }
        assertThat(allows(worker, "write", names.get("CONTROL_EXCHANGE")))
                .as("cancel jobs")
                .isFalse();
    }

    @Test
    void kedaMayOnlyAskTheQueueLength() {
        for (String operation : List.of("configure", "write", "read")) {
            for (String name : names.values()) {
                assertThat(allows(users.get("keda"), operation, name))
                        .as(operation + " " + name)
                        .isFalse();
            }
        }
    }

    private static boolean allows(Map<String, String> user, String operation, String name) {
        return Pattern.compile(user.get(operation)).matcher(name).find();
    }

    /** name → configure/write/read pattern, from rabbitmq/service-users.json. */
    static Map<String, Map<String, String>> permissions() {
        try {
            Map<String, Object> file = new ObjectMapper()
                    .readValue(Repository.read("rabbitmq/service-users.json"), new TypeReference<>() {});
            Map<String, Map<String, String>> users = new LinkedHashMap<>();
            file.forEach((name, rules) -> {
                if (!name.startsWith("_")) {
                    @SuppressWarnings("unchecked")
                    Map<String, String> patterns = (Map<String, String>) rules;
                    users.put(name, patterns);
                }
            });
            return users;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** constant → exchange or queue name, as contracts declares them. */
    private static Map<String, String> messagingNames() {
        Map<String, String> names = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("String (\\w+(?:EXCHANGE|QUEUE))\\s*=\\s*\"([^\"]+)\"")
                .matcher(Repository.read(CONTRACTS));
        while (matcher.find()) {
            names.put(matcher.group(1), matcher.group(2));
        }
        assertThat(names).containsKeys("TASK_QUEUE", "RESULT_QUEUE", "CONTROL_EXCHANGE");
        return names;
    }
}
