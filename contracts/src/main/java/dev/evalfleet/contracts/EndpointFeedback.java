package dev.evalfleet.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * What a worker tells the coordinator about model requests as they end, so the coordinator can hand
 * the freed slots of the endpoint to the next task and adapt the endpoint's capacity. A lost message
 * costs nothing lasting: a task's result frees all its slots.
 *
 * @param endpoint the model endpoint
 * @param taskId the task whose requests ended; {@code null} for a pushback outside any count
 * @param requestsDone requests of the task that ended and hold no slot any more
 * @param succeeded requests the server answered
 * @param pushedBack requests the server refused as overloaded (429, 503, "server busy")
 */
public record EndpointFeedback(
        String endpoint,
        UUID taskId,
        UUID jobId,
        int requestsDone,
        int succeeded,
        int pushedBack,
        String workerId,
        Instant at) {}
