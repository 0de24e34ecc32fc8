package dev.evalfleet.worker.model;

/** Seeds in the contract are {@code long}; Spring AI's Ollama and OpenAI options take an {@code int}. */
final class Seeds {

    static int toInt(long seed) {
        // Seeds that fit pass unchanged; larger ones fold deterministically into the int range.
        return seed == (int) seed ? (int) seed : Long.hashCode(seed);
    }

    private Seeds() {}
}
