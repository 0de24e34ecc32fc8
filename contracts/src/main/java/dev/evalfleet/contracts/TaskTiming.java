package dev.evalfleet.contracts;

import java.time.Instant;

/**
 * When and how a worker worked on a task, by the worker's clock.
 *
 * @param receivedAt when the worker received the task's delivery
 * @param finishedAt when the worker had the result ready to publish
 * @param deliveries how many times the broker has delivered the task, this delivery included (1 for
 *     the first)
 * @param modelRetries model requests the worker repeated after a failure, over all the task's samples
 */
public record TaskTiming(Instant receivedAt, Instant finishedAt, int deliveries, int modelRetries) {}
