package dev.evalfleet.simulator;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests a stand-in model server has seen, as served at {@code GET /_simulator/stats} and
 * started afresh by {@code POST /_simulator/stats/reset}. Requests for the stats themselves are not
 * counted, so reading them changes nothing.
 *
 * @param requests requests per path, 404s included
 * @param total all counted requests
 * @param injectedFailures chat requests answered with HTTP 500 on purpose
 * @param serving how full the server's slots were
 */
public record SimulatorStats(Map<String, Long> requests, long total, long injectedFailures, Serving serving) {

    public SimulatorStats {
        // sorted, so the JSON reads the same every time
        requests = Collections.unmodifiableSortedMap(new TreeMap<>(requests));
    }

    /** Requests seen for one path, 0 if none. */
    public long requests(String path) {
        return requests.getOrDefault(path, 0L);
    }

    /**
     * Chat requests and the server's slots since the last reset. A request is served from when it
     * gets a slot to when its answer is ready; the wait before that is its queue wait.
     *
     * @param capacity requests served at once; 0 means all at once
     * @param queueLimit requests that may wait; {@code null} when any number may
     * @param inFlight requests being served now
     * @param peakInFlight most requests served at once (never more than {@code capacity} when it is set)
     * @param queued requests waiting for a slot now
     * @param peakQueued most requests waiting at once
     * @param served requests that got a slot and were answered (injected failures included)
     * @param rejected requests refused because the queue was full (503, or 429 on the OpenAI API)
     * @param queueWaitSeconds waits for a slot, summed
     * @param maxQueueWaitSeconds longest wait for a slot
     * @param busySlotSeconds service times, summed
     * @param firstStartedAt when the first request got a slot (ISO-8601), {@code null} before any
     * @param lastEndedAt when the last request was answered (ISO-8601), {@code null} before any
     * @param spanSeconds from {@code firstStartedAt} to {@code lastEndedAt}
     * @param busyShare {@code busySlotSeconds / (capacity × spanSeconds)}: how full the server was kept;
     *     {@code null} without a capacity or before a request has ended
     */
    public record Serving(
            int capacity,
            Integer queueLimit,
            int inFlight,
            int peakInFlight,
            int queued,
            int peakQueued,
            long served,
            long rejected,
            double queueWaitSeconds,
            double maxQueueWaitSeconds,
            double busySlotSeconds,
            String firstStartedAt,
            String lastEndedAt,
            Double spanSeconds,
            Double busyShare) {}
}
