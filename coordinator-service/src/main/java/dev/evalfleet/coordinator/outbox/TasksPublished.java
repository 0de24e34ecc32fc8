package dev.evalfleet.coordinator.outbox;

import java.util.List;
import java.util.UUID;

/**
 * Announced by the relay, inside the transaction that marks their messages published: the broker
 * confirmed the messages of these tasks. The owner of the tasks moves them on.
 */
public record TasksPublished(List<UUID> taskIds) {}
