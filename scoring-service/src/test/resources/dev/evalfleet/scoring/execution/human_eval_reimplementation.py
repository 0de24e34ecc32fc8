# REIMPLEMENTATION, not a copy, of openai/human-eval's harness (human_eval/execution.py,
# check_correctness and its helpers, and the thread pool of evaluate_functional_correctness), used by
# VerdictParityTest as the reference the scoring service's verdicts must equal. Written from the
# original's behaviour: the program is prompt + completion + "\n" + test + "\n" + "check(entry_point)",
# executed with exec() in a fresh multiprocessing.Process, inside a temporary working directory,
# after reliability_guard(), with stdio swallowed and a SIGALRM time limit; the parent waits
# timeout + 1 s, then terminates the child; no result at all counts as "timed out". Only the POSIX
# branch is reimplemented (no Windows job objects or thread-based time limit).
#
# WARNING: like the original this is NOT a sandbox. VerdictParityTest only feeds it HumanEval
# reference solutions, mutants of them, and the hostile programs that are harmless under
# reliability_guard on a shared host.
#
# Usage: python3 human_eval_reimplementation.py SAMPLES.json RESULTS.json
#   SAMPLES.json: {"timeout": seconds, "workers": n, "samples": [{"problem": {task_id, prompt, test,
#   entry_point}, "completion": str}, ...]}; RESULTS.json: ["passed" | "failed: ..." | "timed out", ...]
import contextlib
import faulthandler
import io
import json
import multiprocessing
import os
import platform
import signal
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor


class TimeoutException(Exception):
    pass


class WriteOnlyStringIO(io.StringIO):
    """A StringIO that refuses to be read, so the program cannot read stdin."""

    def read(self, *args, **kwargs):
        raise IOError

    def readline(self, *args, **kwargs):
        raise IOError

    def readlines(self, *args, **kwargs):
        raise IOError

    def readable(self, *args, **kwargs):
        return False


class redirect_stdin(contextlib._RedirectStream):  # the same private base class human-eval uses
    _stream = "stdin"


@contextlib.contextmanager
def swallow_io():
    sink = WriteOnlyStringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), redirect_stdin(sink):
        yield


@contextlib.contextmanager
def time_limit(seconds):
    def on_alarm(signum, frame):
        raise TimeoutException("Timed out!")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def working_directory(path):
    if path == ".":
        yield
        return
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def create_tempdir():
    with tempfile.TemporaryDirectory() as name:
        with working_directory(name):
            yield name


# What reliability_guard() sets to None (maximum_memory_bytes=None, human-eval's default: no rlimit).
GUARDED_OS = ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork",
              "forkpty", "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown",
              "chmod", "chown", "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir")
GUARDED_MODULES = ("ipdb", "joblib", "resource", "psutil", "tkinter")


def reliability_guard():
    import builtins
    import shutil
    import subprocess

    faulthandler.disable()
    builtins.exit = None
    builtins.quit = None
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in GUARDED_OS:
        setattr(os, name, None)
    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess.Popen = None
    builtins.help = None
    for name in GUARDED_MODULES:
        sys.modules[name] = None


def unsafe_execute(problem, completion, timeout, result):
    with create_tempdir():
        import shutil

        # What the temporary directory's clean-up needs back after the guard.
        rmtree, rmdir, chdir = shutil.rmtree, os.rmdir, os.chdir
        reliability_guard()
        program = (problem["prompt"] + completion + "\n" + problem["test"] + "\n"
                   + "check(%s)" % problem["entry_point"])
        try:
            scope = {}
            with swallow_io():
                with time_limit(timeout):
                    exec(program, scope)
            result.append("passed")
        except TimeoutException:
            result.append("timed out")
        except BaseException as e:
            result.append("failed: %s" % e)
        shutil.rmtree, os.rmdir, os.chdir = rmtree, rmdir, chdir


def check_correctness(problem, completion, timeout):
    manager = multiprocessing.Manager()
    result = manager.list()
    process = multiprocessing.Process(target=unsafe_execute, args=(problem, completion, timeout, result))
    process.start()
    process.join(timeout=timeout + 1)
    if process.is_alive():
        process.terminate()
        process.join()
    outcome = result[0] if result else "timed out"
    manager.shutdown()
    return outcome


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        request = json.load(f)
    timeout = float(request["timeout"])
    with ThreadPoolExecutor(max_workers=int(request.get("workers", 4))) as executor:
        futures = [executor.submit(check_correctness, s["problem"], s["completion"], timeout)
                   for s in request["samples"]]
        results = [future.result() for future in futures]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    assert platform.system() != "Windows"
    main()
