package dev.evalfleet.contracts;

/**
 * A model endpoint a worker serves, as it announces it (no URL or credentials).
 *
 * @param maxConcurrency model requests this worker sends it at once at most
 * @param capacity requests the model server serves at once: the whole fleet never has more in flight
 *     to the endpoint ({@code 0}: unknown, the coordinator does not pace the endpoint; never null)
 */
public record EndpointDescriptor(String name, String provider, int maxConcurrency, Integer capacity) {

    /** A worker older than capacities announces none. */
    public EndpointDescriptor {
        capacity = capacity == null ? 0 : capacity;
    }

    /** An endpoint whose server's capacity is this worker's own limit. */
    public EndpointDescriptor(String name, String provider, int maxConcurrency) {
        this(name, provider, maxConcurrency, maxConcurrency);
    }
}
