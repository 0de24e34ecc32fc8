package dev.evalfleet.scoring.sandbox;

import java.util.List;

/**
 * One line of the runner's report (see {@code runner.py}).
 *
 * @param event {@code plan}, {@code start}, {@code test}, {@code failure} or {@code done}
 * @param total tests in the plan
 * @param sources source of each test, in order (plan)
 * @param index 0-based test index (start, test)
 * @param passed whether the test passed (test)
 * @param stage {@code program}, {@code setup} or {@code tests} (failure)
 * @param message what went wrong (test, failure)
 */
record RunnerRecord(
        String event,
        Integer total,
        List<String> sources,
        Integer index,
        Boolean passed,
        String stage,
        String message) {

    static final String PLAN = "plan";
    static final String START = "start";
    static final String TEST = "test";
    static final String FAILURE = "failure";
    static final String DONE = "done";

    boolean is(String kind) {
        return kind.equals(event);
    }
}
