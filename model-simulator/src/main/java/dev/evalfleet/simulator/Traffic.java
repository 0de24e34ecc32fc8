package dev.evalfleet.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of requests per path and of injected failures, for tests and chaos runs to check. */
final class Traffic {

    private final Map<String, LongAdder> requestsByPath = new ConcurrentHashMap<>();
    private final LongAdder injectedFailures = new LongAdder();
    private final ServingSlots slots;

    Traffic(ServingSlots slots) {
        this.slots = slots;
    }

    void request(String path) {
        requestsByPath.computeIfAbsent(path, p -> new LongAdder()).increment();
    }

    void injectedFailure() {
        injectedFailures.increment();
    }

    SimulatorStats snapshot() {
        Map<String, Long> requests = new TreeMap<>();
        requestsByPath.forEach((path, count) -> requests.put(path, count.sum()));
        long total = requests.values().stream().mapToLong(Long::longValue).sum();
        return new SimulatorStats(requests, total, injectedFailures.sum(), slots.snapshot());
    }

    /** Starts every count afresh. */
    void reset() {
        requestsByPath.clear();
        injectedFailures.reset();
        slots.reset();
    }
}
