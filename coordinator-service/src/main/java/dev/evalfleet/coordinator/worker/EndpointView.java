package dev.evalfleet.coordinator.worker;

/**
 * A model endpoint, derived from what live workers announce.
 *
 * @param name the name jobs use
 * @param provider {@code ollama}, {@code openai} or {@code reference}
 * @param workers live workers (UP or STALE) serving it
 * @param maxConcurrency model requests the workers would send it at once, summed over workers
 * @param capacity requests its server serves at once, as the workers announce it; the fleet never has
 *     more in flight. {@code 0}: not announced, dispatch to it is not paced
 * @param effectiveCapacity what the fleet uses now: the capacity, lowered while the server pushes back
 *     (429, 503) and grown back while it answers
 */
public record EndpointView(
        String name, String provider, int workers, int maxConcurrency, int capacity, int effectiveCapacity) {}
