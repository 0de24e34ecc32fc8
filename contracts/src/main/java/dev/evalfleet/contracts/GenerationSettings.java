package dev.evalfleet.contracts;

import java.util.List;

/** Sampling settings passed to the model server; {@code null} means the server's default. */
public record GenerationSettings(Double temperature, Double topP, Integer maxTokens, Long seed, List<String> stop) {

    public GenerationSettings {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static GenerationSettings defaults() {
        return new GenerationSettings(null, null, null, null, List.of());
    }
}
