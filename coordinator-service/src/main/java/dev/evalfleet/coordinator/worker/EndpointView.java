package dev.evalfleet.coordinator.worker;

/**
 * A model endpoint, derived from what live workers announce.
 *
 * @param name the name jobs use
 * @param provider {@code ollama}, {@code openai} or {@code reference}
 * @param workers live workers (UP or STALE) serving it
 * @param maxConcurrency model requests the fleet may have in flight to it, summed over workers
 */
public record EndpointView(String name, String provider, int workers, int maxConcurrency) {}
