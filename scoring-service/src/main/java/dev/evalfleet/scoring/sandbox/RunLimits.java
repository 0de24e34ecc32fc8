package dev.evalfleet.scoring.sandbox;

import dev.evalfleet.contracts.TimeLimit;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The limits of one run and, for EvalPlus input tests, what the program's outputs must match.
 *
 * @param wall the wall-clock deadline
 * @param cpu the CPU time the program may use; {@link Duration#ZERO} leaves time to the wall clock
 * @param reported the limit as the result states it
 * @param expected for input tests, the reference's outputs and the inputs' limits; {@code null} otherwise
 */
public record RunLimits(Duration wall, Duration cpu, TimeLimit reported, Expected expected) {

    /**
     * What a reference run found, as a candidate run needs it.
     *
     * @param key identifies the inputs and outputs, so a fork server decodes them once
     * @param outputs the reference's outputs, pickled, base64; empty where they were too large to carry
     * @param limitsMicros per part, each input's CPU-time limit
     * @param digests where the outputs were too large to carry, per part their digests
     */
    public record Expected(
            String key, String outputs, Map<String, List<Long>> limitsMicros, Map<String, String> digests) {

        int count(String part) {
            return limitsMicros.getOrDefault(part, List.of()).size();
        }
    }
}
