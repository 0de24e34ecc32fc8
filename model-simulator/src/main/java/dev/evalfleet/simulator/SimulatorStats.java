package dev.evalfleet.simulator;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests a stand-in model server has seen, as served at {@code GET /_simulator/stats}. Requests
 * for the stats themselves are not counted, so reading them changes nothing.
 *
 * @param requests requests per path, 404s included
 * @param total all counted requests
 * @param injectedFailures chat requests answered with HTTP 500 on purpose
 */
public record SimulatorStats(Map<String, Long> requests, long total, long injectedFailures) {

    public SimulatorStats {
        // sorted, so the JSON reads the same every time
        requests = Collections.unmodifiableSortedMap(new TreeMap<>(requests));
    }

    /** Requests seen for one path, 0 if none. */
    public long requests(String path) {
        return requests.getOrDefault(path, 0L);
    }
}
