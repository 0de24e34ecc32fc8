# REIMPLEMENTATION, for CI parity checks, of EvalPlus's evaluator (`evalplus.evaluate` on a samples
# file, default settings). Not EvalPlus's code: written here from the semantics of evalplus/evalplus
# at commit 26d6d00bb1fd0fa37f39c99d5290da67891d1c5e (v0.3.1-44-g26d6d00; HumanEval+ data v0.1.10,
# MBPP+ v0.2.0). Checked against that evaluator at development time: the same base and plus verdict
# on every program of humanevalplus_mutants.py's suite (905 on HumanEval+) and on a synthetic MBPP+
# file that hits each MBPP+ rule. What it reproduces:
# - Ground truth: prompt + canonical_solution executed once in this process; the entry point called
#   on a deep copy of each input, each call timed (wall clock). MBPP+ inputs decoded per task as
#   EvalPlus's loader does (tuples, sets, complex numbers); for MBPP+'s "output not None" tasks the
#   expected value is whether the canonical output is not None.
# - One fresh process per (sample, base|plus), base then plus, plus run even when base failed,
#   cpu_count // 2 samples at a time; forked from a main thread, so that the program runs on a
#   stack that grows up to the guard's RLIMIT_STACK. In it: a temporary working directory, then the
#   reliability guard (RLIMIT_AS, _DATA and _STACK at min(4 GiB, RAM); exit, quit, help and
#   builtins.open set to None; os.putenv, os.kill, os.getcwd, os.chdir, ... shutil.rmtree,
#   subprocess.Popen set to None; ipdb, joblib, resource, psutil, tkinter made unimportable), numpy
#   being imported in this parent before it, so that a program's `import numpy` finds it loaded. The program is exec'ed (stdio swallowed, no time
#   limit), then the entry point is called on each input in turn, inputs NOT copied, each call
#   under its own SIGALRM limit of max(min_time_limit, factor * ground-truth time) (4 s and 4 by
#   default); the first failing input ends the run ("fast check"). A call that exceeds its limit
#   FAILS; only a process that ends without a verdict is "timeout": one still running
#   min(60, sum of the limits) + 2 s after its start (then killed), or one that exits early.
# - Comparison per input: `out == expected`; MBPP+'s special oracles; HumanEval/32 (find_zero)
#   judged by |poly(xs, out)| <= atol; a float expected value makes atol 1e-6 when it is 0, for this
#   input and every later one of the run; when not equal and atol != 0: same type, same length
#   (list, tuple), numpy.allclose(out, expected, rtol=1e-7, atol=atol).
# - pass@k base: base pass; plus: base and plus pass; unbiased estimator, mean over problems.
# Not reproduced: EvalPlus's refusal of a samples file that leaves a problem out (here the mean is
# over the problems sampled), its reuse of an earlier results file, its failure when
# EVALPLUS_TIMEOUT_PER_TASK is set (read here as the number it means), --test-details (every input
# run, all failures listed).
#
# WARNING: like EvalPlus's, this is NOT a sandbox: feed it dataset solutions and deliberate mutants.
#
# Usage: python3 evalplus_reimplementation.py DATASET.jsonl[.gz] SAMPLES.jsonl RESULTS.jsonl
#            [--parallel N] [--min-time-limit S] [--gt-time-limit-factor F] [--ground-truth FILE]
#   DATASET: HumanEval+ or MBPP+ in EvalPlus's native format (detected from the task ids).
#   SAMPLES: {"task_id", "solution"} or {"task_id", "completion"} (prompt + completion) per line.
#   RESULTS: per sample, in order, its fields but the program, "base_status" and "plus_status"
#   ("pass" | "fail" | "timeout"). The summary (pass@k base and plus, times) is printed as JSON.
#   --ground-truth FILE keeps the ground truth (outputs and times) for a dataset of that md5 there.
import argparse
import builtins
import contextlib
import copy
import faulthandler
import gzip
import hashlib
import io
import json
import math
import multiprocessing
import os
import pickle
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

import numpy as np  # loaded before the guard, as in EvalPlus's harness process

PASS, FAIL, TIMEOUT = "pass", "fail", "timeout"
# EvalPlus's EVALPLUS_TIMEOUT_PER_TASK (its own code compares the variable's text with a number, so only
# the default works there); read here as a number, so tests can shorten the cap on both sides alike
WHOLE_RUN_CAP_SECONDS = float(os.environ.get("EVALPLUS_TIMEOUT_PER_TASK", 60))

# --- datasets --------------------------------------------------------------------------------------

# MBPP+ tasks whose canonical output is not comparable: only "is it not None" is checked.
MBPP_OUTPUT_NOT_NONE = {"check_str", "text_match_three", "text_starta_endb"}
# MBPP+ tasks whose list output is compared as a set.
MBPP_OUTPUT_AS_SET = {"similar_elements", "find_char_long", "common_in_nested_lists", "extract_singly",
                      "larg_nnum", "intersection_array", "find_dissimilar", "Diff"}


def _each_arg(convert):
    return lambda args: [convert(a) for a in args]


def _rows_as_tuples(rows):
    return [tuple(row) for row in rows]


def _deep_tuple(value):
    return tuple(_deep_tuple(v) for v in value) if isinstance(value, list) else value


def _set_or_empty_dict(item):
    # EvalPlus turns an empty list into {} (an empty dict, not a set) for Mbpp/115.
    return set(item) if isinstance(item, list) and len(item) else {}


# How MBPP+'s JSON inputs become the arguments the task expects, by task number (JSON has no tuple,
# set or complex). Where a rule names fewer arguments than an input has, the rest are dropped, as
# EvalPlus's loader does.
_MBPP_DECODERS = {}
for _n in (2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560, 579, 596, 616, 630, 726,
           740, 744, 809):
    _MBPP_DECODERS[_n] = _each_arg(tuple)
for _n in (63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614, 780):
    _MBPP_DECODERS[_n] = _each_arg(_rows_as_tuples)
for _n in (75, 413, 444, 753):
    _MBPP_DECODERS[_n] = lambda args: [_rows_as_tuples(args[0]), args[1]]
for _n in (106, 750):
    _MBPP_DECODERS[_n] = lambda args: [args[0], tuple(args[1])]
_MBPP_DECODERS[115] = lambda args: [[_set_or_empty_dict(item) for item in args[0]]]
_MBPP_DECODERS[124] = lambda args: (float(args[0]), complex(args[1]))
for _n in (250, 405, 446, 617, 720, 763, 808):
    _MBPP_DECODERS[_n] = lambda args: [tuple(args[0]), args[1]]
for _n in (259, 401, 445):
    _MBPP_DECODERS[_n] = _each_arg(lambda rows: tuple(_rows_as_tuples(rows)))
_MBPP_DECODERS[278] = lambda args: [tuple(tuple(x) if isinstance(x, list) else x for x in args[0])]
_MBPP_DECODERS[307] = lambda args: [tuple(args[0]), args[1], args[2]]
_MBPP_DECODERS[722] = lambda args: [{k: tuple(v) for k, v in args[0].items()}] + args[1:]
_MBPP_DECODERS[252] = lambda args: [complex(args[0])]
for _n in (580, 615, 791):
    _MBPP_DECODERS[_n] = _deep_tuple


def decode_mbpp_inputs(task_id, inputs):
    decoder = _MBPP_DECODERS.get(int(task_id.split("/")[-1]))
    return [decoder(args) for args in inputs] if decoder else inputs


def read_dataset(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        problems = {p["task_id"]: p for p in (json.loads(line) for line in f if line.strip())}
    flavour = "mbpp" if all(t.startswith("Mbpp/") for t in problems) else "humaneval"
    if flavour == "mbpp":
        for task_id, problem in problems.items():
            problem["base_input"] = decode_mbpp_inputs(task_id, problem["base_input"])
            problem["plus_input"] = decode_mbpp_inputs(task_id, problem["plus_input"])
    return flavour, problems


def file_md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def run_reference(problem, inputs, not_none):
    scope = {}
    exec(problem["prompt"] + problem["canonical_solution"], scope)
    fn = scope[problem["entry_point"]]
    outputs, seconds = [], []
    for args in inputs:
        args = copy.deepcopy(args)
        started = time.time()
        outputs.append(fn(*args))
        seconds.append(time.time() - started)
    if not_none:
        outputs = [out is not None for out in outputs]
    return outputs, seconds


def ground_truth(flavour, problems, dataset_md5, cache_path):
    if cache_path and os.path.exists(cache_path):
        with open(cache_path, "rb") as f:
            cached = pickle.load(f)
        if cached.get("md5") == dataset_md5:
            return cached["truth"], 0.0
    started = time.time()
    truth = {}
    for task_id, problem in problems.items():
        not_none = flavour == "mbpp" and problem["entry_point"] in MBPP_OUTPUT_NOT_NONE
        entry = {}
        for part in ("base", "plus"):
            entry[part], entry[part + "_time"] = run_reference(problem, problem[part + "_input"], not_none)
        truth[task_id] = entry
    seconds = time.time() - started
    if cache_path:
        with open(cache_path, "wb") as f:
            pickle.dump({"md5": dataset_md5, "truth": truth}, f)
    return truth, seconds


# --- the candidate's process -----------------------------------------------------------------------

class TimeoutException(Exception):
    pass


class _WriteOnlyStringIO(io.StringIO):
    def read(self, *args, **kwargs):
        raise IOError

    def readline(self, *args, **kwargs):
        raise IOError

    def readlines(self, *args, **kwargs):
        raise IOError

    def readable(self, *args, **kwargs):
        return False


@contextlib.contextmanager
def _swallowed_stdio():
    sink = _WriteOnlyStringIO()
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout = sys.stderr = sys.stdin = sink
    try:
        yield
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved


def _on_alarm(signum, frame):
    raise TimeoutException("Timed out!")


@contextlib.contextmanager
def _call_limit(seconds):
    # The timer is armed before the handler is installed, and the handler is left installed.
    signal.setitimer(signal.ITIMER_REAL, seconds)
    signal.signal(signal.SIGALRM, _on_alarm)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


GUARDED_OS = ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork", "forkpty",
              "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown", "chmod", "chown",
              "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir")
UNIMPORTABLE = ("ipdb", "joblib", "resource", "psutil", "tkinter")


def memory_limit_bytes():
    wanted = int(os.environ.get("EVALPLUS_MAX_MEMORY_BYTES", 4 * 1024 ** 3))
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    limit = min(wanted, ram)
    return None if limit == -1 else limit


def guard(limit_bytes):
    if limit_bytes is not None:
        for which in (resource.RLIMIT_AS, resource.RLIMIT_DATA, resource.RLIMIT_STACK):
            resource.setrlimit(which, (limit_bytes, limit_bytes))
    faulthandler.disable()
    builtins.exit = None
    builtins.quit = None
    os.environ["OMP_NUM_THREADS"] = "1"
    for name in GUARDED_OS:
        setattr(os, name, None)
    builtins.open = None
    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess.Popen = None
    builtins.help = None
    for name in UNIMPORTABLE:
        sys.modules[name] = None


def is_floats(value):
    if isinstance(value, float):
        return True
    if isinstance(value, (list, tuple)) and value:
        return all(isinstance(v, float) for v in value)
    if isinstance(value, np.ndarray):
        return value.dtype == np.float64 or value.dtype == np.float32
    return False


def _poly(xs, x):
    return sum(c * math.pow(x, i) for i, c in enumerate(xs))


def _mbpp_surface_area(base_edge, height):
    # Mbpp/581 with "height" read as the pyramid's perpendicular height, rounded.
    slant = math.sqrt((base_edge / 2) ** 2 + height ** 2)
    return round(base_edge ** 2 + 2 * base_edge * slant)


def _mbpp_digit_distance(a, b):
    # Mbpp/558 with the shorter number padded with leading zeros.
    x, y = str(a), str(b)
    width = max(len(x), len(y))
    return sum(abs(int(p) - int(q)) for p, q in zip(x.zfill(width), y.zfill(width)))


def judge(flavour, entry_point, args, out, expected, atol):
    """Raises unless `out` is accepted; returns the atol in force for the next inputs of the run."""
    equal = out == expected
    if flavour == "mbpp":
        if entry_point == "are_equivalent":  # Mbpp/164: any answer (whose == result has a truth value)
            equal = equal or True
        elif entry_point == "sum_div":  # Mbpp/295: 0 accepted too
            equal = equal or out == 0
        elif entry_point == "surface_Area":  # Mbpp/581: the other reading of "height"
            equal = equal or abs(out - _mbpp_surface_area(*args)) <= atol
        elif entry_point == "digit_distance_nums":  # Mbpp/558: zero-padded reading
            equal = equal or out == _mbpp_digit_distance(*args)
        elif entry_point in MBPP_OUTPUT_AS_SET:
            equal = set(out) == set(expected)
        elif entry_point in MBPP_OUTPUT_NOT_NONE:
            equal = out == expected if isinstance(out, bool) else expected == (out is not None)
    if flavour == "humaneval" and entry_point == "find_zero":
        if not abs(_poly(*args, out)) <= atol:
            raise AssertionError("not a zero")
        return atol
    if atol == 0 and is_floats(expected):
        atol = 1e-6
    if not equal and atol != 0:
        if type(out) != type(expected):
            raise AssertionError("type")
        if isinstance(expected, (list, tuple)) and len(out) != len(expected):
            raise AssertionError("length")
        if not np.allclose(out, expected, rtol=1e-07, atol=atol):
            raise AssertionError("not close")
    elif not equal:
        raise AssertionError("not equal")
    return atol


def run_candidate(flavour, entry_point, code, inputs, expected, limits, atol, report_fd):
    """In the forked child: writes PASS or FAIL to report_fd, or nothing if it never gets there."""
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)
        saved_os = {name: getattr(os, name, None) for name in GUARDED_OS}
        saved_open, saved_rmtree = builtins.open, shutil.rmtree
        guard(memory_limit_bytes())
        verdict = FAIL
        try:
            scope = {}
            with _swallowed_stdio():
                exec(code, scope)
                fn = scope[entry_point]
            for i, args in enumerate(inputs):
                with _call_limit(limits[i]):
                    with _swallowed_stdio():
                        out = fn(*args)
                atol = judge(flavour, entry_point, args, out, expected[i], atol)
            verdict = PASS
        except BaseException:
            verdict = FAIL
        os.write(report_fd, verdict.encode())
        # Verdict given: undo the guard so that the scratch directory can be removed.
        for name, value in saved_os.items():
            setattr(os, name, value)
        builtins.open, shutil.rmtree = saved_open, saved_rmtree
        os.chdir("/")


class CandidateRun:
    """One forked process judging one program on one input list (a sample's base or plus inputs).

    Forked from the main thread, as EvalPlus's are (from its pool worker's main thread): the child
    then runs on a main-thread stack, which grows up to the guard's RLIMIT_STACK, where a thread's
    stack would be fixed at 8 MiB.
    """

    def __init__(self, flavour, problem, code, inputs, expected, ref_times, min_time_limit, factor):
        limits = [max(min_time_limit, factor * t) for t in ref_times]
        self.deadline = time.monotonic() + min(WHOLE_RUN_CAP_SECONDS, sum(limits)) + 1 + 1
        self.terminated_at = None
        self.read_fd, write_fd = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            status = 1
            try:
                os.close(self.read_fd)
                # As a multiprocessing child starts: stdin closed, /dev/null in its place.
                if sys.stdin is not None:
                    sys.stdin.close()
                sys.stdin = open(os.devnull)
                run_candidate(flavour, problem["entry_point"], code, inputs, expected, limits, problem["atol"],
                              write_fd)
                status = 0
            finally:
                os._exit(status)
        os.close(write_fd)
        self.pidfd = os.pidfd_open(self.pid)

    def next_event(self):
        return self.deadline if self.terminated_at is None else self.terminated_at + 0.1

    def overdue(self):
        """Past the deadline: SIGTERM; 0.1 s later still alive: SIGKILL (as EvalPlus's parent does)."""
        if self.terminated_at is None:
            os.kill(self.pid, signal.SIGTERM)
            self.terminated_at = time.monotonic()
        else:
            os.kill(self.pid, signal.SIGKILL)
            self.terminated_at = float("inf")

    def verdict(self):
        """After the process has ended: what it reported, or timeout if it reported nothing."""
        os.waitpid(self.pid, 0)
        report = b""
        while select.select([self.read_fd], [], [], 0)[0]:
            chunk = os.read(self.read_fd, 16)
            if not chunk:
                break
            report += chunk
        os.close(self.pidfd)
        os.close(self.read_fd)
        return report.decode() if report in (PASS.encode(), FAIL.encode()) else TIMEOUT


def check_all(flavour, problems, truth, samples, parallel, min_time_limit, factor):
    """[(base, plus)] per sample. Up to `parallel` samples at a time, each base then plus (plus
    whatever base gave), every process forked from this (main) thread."""
    verdicts = [[None, None] for _ in samples]
    waiting = list(range(len(samples)))[::-1]
    running = {}  # pidfd -> (run, sample index, part index)

    def start(index, part):
        sample = samples[index]
        problem = problems[sample["task_id"]]
        code = sample["solution"] if "solution" in sample else problem["prompt"] + sample["completion"]
        name = ("base", "plus")[part]
        expected = truth[sample["task_id"]]
        run = CandidateRun(flavour, problem, code, problem[name + "_input"], expected[name],
                           expected[name + "_time"], min_time_limit, factor)
        running[run.pidfd] = (run, index, part)

    while waiting or running:
        while waiting and len(running) < parallel:
            start(waiting.pop(), 0)
        wait = max(0.0, min(run.next_event() for run, _, _ in running.values()) - time.monotonic())
        ended, _, _ = select.select(list(running), [], [], wait)
        for pidfd in ended:
            run, index, part = running.pop(pidfd)
            verdicts[index][part] = run.verdict()
            if part == 0:
                start(index, 1)
        now = time.monotonic()
        for run, _, _ in list(running.values()):
            if run.next_event() <= now:
                run.overdue()
    return verdicts


# --- driver ----------------------------------------------------------------------------------------

def pass_at_k(n, c, k):
    if n - c < k:
        return 1.0
    return float(1 - Fraction(math.comb(n - c, k), math.comb(n, k)))


def read_samples(path, problems):
    samples = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                sample = json.loads(line)
                if sample["task_id"] not in problems:
                    raise SystemExit("task %s is not in the dataset" % sample["task_id"])
                samples.append(sample)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dataset")
    parser.add_argument("samples")
    parser.add_argument("results")
    parser.add_argument("--parallel", type=int, default=max(1, multiprocessing.cpu_count() // 2))
    parser.add_argument("--min-time-limit", type=float, default=4.0)
    parser.add_argument("--gt-time-limit-factor", type=float, default=4.0)
    parser.add_argument("--ground-truth", default=None)
    options = parser.parse_args()

    started = time.time()
    flavour, problems = read_dataset(options.dataset)
    truth, truth_seconds = ground_truth(flavour, problems, file_md5(options.dataset), options.ground_truth)
    samples = read_samples(options.samples, problems)

    checked = time.time()
    verdicts = check_all(flavour, problems, truth, samples, options.parallel, options.min_time_limit,
                         options.gt_time_limit_factor)
    checking_seconds = time.time() - checked

    counts = {}
    with open(options.results, "w", encoding="utf-8") as out:
        for sample, (base, plus) in zip(samples, verdicts):
            row = {k: v for k, v in sample.items() if k not in ("solution", "completion")}
            row.update(base_status=base, plus_status=plus)
            out.write(json.dumps(row) + "\n")
            n, base_ok, plus_ok = counts.get(sample["task_id"], (0, 0, 0))
            counts[sample["task_id"]] = (n + 1, base_ok + (base == PASS), plus_ok + (base == plus == PASS))
    smallest = min(n for n, _, _ in counts.values())
    summary = {"dataset": flavour, "problems": len(counts), "samples": len(samples),
               "ground_truth_seconds": round(truth_seconds, 2), "checking_seconds": round(checking_seconds, 2),
               "wall_seconds": round(time.time() - started, 2)}
    for part, index in (("base", 1), ("plus", 2)):
        summary["pass_at_k_" + part] = {
            "pass@%d" % k: sum(pass_at_k(row[0], row[index], k) for row in counts.values()) / len(counts)
            for k in (1, 10, 100) if smallest >= k}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
