package dev.evalfleet.coordinator.sample;

/**
 * How many samples a problem (task) has, how many of them passed, and how many passed the base
 * inputs of a problem with EvalPlus plus inputs (a sample that passed passed those too).
 */
public record SampleCount(int samples, int passed, int passedBase) {

    /** A problem without plus inputs, where passing the base tests is passing. */
    public SampleCount(int samples, int passed) {
        this(samples, passed, passed);
    }

    /** The same samples counted as passed when they passed the base inputs. */
    public SampleCount onBase() {
        return new SampleCount(samples, passedBase, passedBase);
    }
}
