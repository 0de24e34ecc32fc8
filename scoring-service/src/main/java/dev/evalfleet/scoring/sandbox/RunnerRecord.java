package dev.evalfleet.scoring.sandbox;

import java.util.List;
import java.util.Map;

/**
 * One line of the runner's report (see {@code runner.py}).
 *
 * @param event {@code plan}, {@code start}, {@code test}, {@code failure} or {@code done}
 * @param total tests in the plan
 * @param sources source of each test, in order (plan)
 * @param index 0-based test index (start, test)
 * @param passed whether the test passed (test)
 * @param stage {@code program}, {@code setup} or {@code tests} (failure)
 * @param message what went wrong (test, failure, input)
 * @param part {@code base} or {@code plus} (input, part; a failure of the reference)
 * @param input the arguments of the input, as Python reprs (input; a failure of the reference)
 * @param timedOut whether the input used up its CPU time (input)
 * @param expected the reference's outputs, pickled, base64 (reference)
 * @param micros per part, the CPU time of each input in microseconds (reference)
 * @param digests per part, where the outputs were too large to carry, their digests, base64 (reference)
 * @param cpuMicros the CPU time the run's process used (done)
 */
record RunnerRecord(
        String event,
        Integer total,
        List<String> sources,
        Integer index,
        Boolean passed,
        String stage,
        String message,
        String part,
        String input,
        Boolean timedOut,
        String expected,
        Map<String, List<Long>> micros,
        Map<String, String> digests,
        Long cpuMicros) {

    static final String PLAN = "plan";
    static final String START = "start";
    static final String TEST = "test";
    static final String FAILURE = "failure";
    static final String DONE = "done";
    static final String INPUT = "input";
    static final String PART = "part";
    static final String REFERENCE = "reference";
    static final String BASE = "base";
    static final String PLUS = "plus";

    boolean is(String kind) {
        return kind.equals(event);
    }
}
