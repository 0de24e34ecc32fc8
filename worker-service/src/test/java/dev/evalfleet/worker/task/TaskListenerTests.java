package dev.evalfleet.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.rabbitmq.client.Channel;
import dev.evalfleet.contracts.TaskResult;
import dev.evalfleet.worker.WorkerProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import tools.jackson.databind.json.JsonMapper;

/** Acknowledgement decisions of the task listener, with the broker channel mocked. */
class TaskListenerTests {

    private static final long DELIVERY_TAG = 7L;
    private static final UUID JOB_ID = UUID.randomUUID();
    private static final String VALID_TASK = """
            {"taskId": "%s", "jobId": "%s", "endpoint": "reference", "model": "reference", "samples": 1,
             "generation": null, "timeoutSeconds": 5.0,
             "problem": {"problemId": "HumanEval/0", "format": "HUMAN_EVAL", "prompt": "def f():\\n",
                         "entryPoint": "f", "tests": {"setup": "", "checkProgram": "def check(c): pass",
                         "asserts": [], "entryPoint": "f"}, "referenceSolution": "    return 1\\n"}}
            """.formatted(UUID.randomUUID(), JOB_ID);

    private final Channel channel = mock(Channel.class);
    private final TasksInFlight runner = mock(TasksInFlight.class);
    private final CancelledJobs cancelledJobs =
            new CancelledJobs(new WorkerProperties.Cancellation(Duration.ofHours(24), 100), Clock.systemUTC());
    private final ResultPublisher publisher = mock(ResultPublisher.class);
    private final TaskActivity activity = new TaskActivity();
    private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
    private final TaskListener listener =
            new TaskListener(JsonMapper.builder().build(), runner, cancelledJobs, publisher, activity, meterRegistry);

    @Test
    void unreadableMessageIsRejectedWithoutRequeue() throws Exception {
        listener.onTask(message("{not json"), channel);

        verify(channel).basicReject(DELIVERY_TAG, false);
        verifyNoInteractions(runner, publisher);
    }

    @Test
    void messageWithoutTaskIdIsRejectedWithoutRequeue() throws Exception {
        listener.onTask(message("{\"samples\": 1}"), channel);

        verify(channel).basicReject(DELIVERY_TAG, false);
        verifyNoInteractions(runner);
    }

    @Test
    void taskIsAcknowledgedOnlyAfterItsResultWasConfirmed() throws Exception {
        when(runner.run(any(), any())).thenReturn(result());
        when(publisher.publish(any())).thenReturn(true);

        listener.onTask(message(VALID_TASK), channel);

        verify(channel).basicAck(DELIVERY_TAG, false);
        verify(channel, never()).basicNack(DELIVERY_TAG, false, true);
        org.assertj.core.api.Assertions.assertThat(activity.done()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(activity.inFlight()).isZero();
    }

    @Test
    void taskIsRequeuedWhenItsResultWasNotConfirmed() throws Exception {
        when(runner.run(any(), any())).thenReturn(result());
        when(publisher.publish(any())).thenReturn(false);

        listener.onTask(message(VALID_TASK), channel);

        verify(channel).basicNack(DELIVERY_TAG, false, true);
        verify(channel, never()).basicAck(DELIVERY_TAG, false);
    }

    @Test
    void taskIsRequeuedWhenTheWorkerIsStopping() throws Exception {
        when(runner.run(any(), any())).thenThrow(new InterruptedException("stopping"));

        listener.onTask(message(VALID_TASK), channel);

        verify(channel).basicNack(DELIVERY_TAG, false, true);
        verifyNoInteractions(publisher);
        Thread.interrupted();
    }

    @Test
    void taskOfACancelledJobIsAcknowledgedWithoutWork() throws Exception {
        cancelledJobs.add(JOB_ID);

        listener.onTask(message(VALID_TASK), channel);

        verify(channel).basicAck(DELIVERY_TAG, false);
        verifyNoInteractions(runner, publisher);
        assertThat(meterRegistry
                        .counter("evalfleet.worker.tasks", "outcome", "cancelled")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void taskInFlightWhoseJobIsCancelledIsAcknowledgedWithoutResult() throws Exception {
        when(runner.run(any(), any())).thenThrow(new TaskDroppedException(TasksInFlight.Interruption.JOB_CANCELLED));

        listener.onTask(message(VALID_TASK), channel);

        verify(channel).basicAck(DELIVERY_TAG, false);
        verify(channel, never()).basicNack(DELIVERY_TAG, false, true);
        verifyNoInteractions(publisher);
        assertThat(meterRegistry
                        .counter("evalfleet.worker.tasks", "outcome", "cancelled")
                        .count())
                .isEqualTo(1);
    }

    @Test
    void taskInterruptedByAStoppingWorkerIsRequeued() throws Exception {
        when(runner.run(any(), any())).thenThrow(new TaskDroppedException(TasksInFlight.Interruption.WORKER_STOPPING));

        listener.onTask(message(VALID_TASK), channel);

        verify(channel).basicNack(DELIVERY_TAG, false, true);
        verify(channel, never()).basicAck(DELIVERY_TAG, false);
        verifyNoInteractions(publisher);
    }

    private static TaskResult result() {
        return new TaskResult(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "w",
                TaskResult.Outcome.COMPLETED,
                null,
                List.of());
    }

    private static Message message(String body) {
        MessageProperties properties = new MessageProperties();
        properties.setDeliveryTag(DELIVERY_TAG);
        return new Message(body.getBytes(StandardCharsets.UTF_8), properties);
    }
}
