#!/usr/bin/env python3
"""Benchmark: a weak model's kind of sample set, full of loops that never end, scored by evalfleet and by
human-eval's own approach on the same machine, in the same run, with the verdicts compared.

Usage: python3 bench/timeouts.py HumanEval.jsonl.gz [service-url] [pairs]   (service must be running)

The set: the 164 reference solutions, 4 deterministic mutants of each (humaneval_mutants.py, the
parity suite's generator) and 23 programs that never finish (spin loops, a loop that sleeps, one that
waits on nothing), 843 samples in all.
- evalfleet: POST /api/executions/batch with no timeoutSeconds, so each program's limit is calibrated on
  its problem's reference solution (CPU time, the wall clock a multiple of it); the references ran once
  in a warm-up batch, which is timed and reported on its own.
- human-eval: score_humaneval.py's reimplementation of openai/human-eval's check_correctness (4 workers,
  a fresh process per sample, 3 s).
The two alternate in pairs; medians and the median ratio are reported, and every pair's verdicts
(passed or not) must agree.
"""
import gzip, json, os, statistics, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
from score_humaneval import check_correctness, post  # noqa: E402

MUTANTS = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "dev", "evalfleet", "scoring",
                       "execution", "humaneval_mutants.py")
LOOPS = [
    "    while True:\n        pass\n",
    "    i = 0\n    while i >= 0:\n        i += 1\n",
    "    import time\n    while True:\n        time.sleep(0.1)\n",
]


def sample_set(dataset):
    with gzip.open(dataset, "rt") as f:
        problems = [json.loads(line) for line in f if line.strip()]
    by_id = {p["task_id"]: p for p in problems}
    samples = [(p, p["canonical_solution"]) for p in problems]
    mutants = json.loads(subprocess.run([sys.executable, MUTANTS, dataset, "4"], check=True, capture_output=True,
                                        text=True).stdout)
    samples += [(by_id[m["task_id"]], m["completion"]) for m in mutants]
    samples += [(problems[(i * 7) % len(problems)], LOOPS[i % len(LOOPS)]) for i in range(23)]
    return samples


def evalfleet(url, samples):
    batch = [{"program": p["prompt"] + c,
              "tests": {"setup": "", "checkProgram": p["test"], "asserts": [], "entryPoint": p["entry_point"],
                        "reference": p["prompt"] + p["canonical_solution"]}} for p, c in samples]
    results = []
    for i in range(0, len(batch), 200):
        results += post(url + "/api/executions/batch", batch[i:i + 200], timeout=1800)
    return results


def human_eval(samples):
    with ThreadPoolExecutor(max_workers=4) as executor:
        return list(executor.map(lambda s: check_correctness(s[0], s[1], 3.0), samples))


def main():
    dataset = sys.argv[1]
    url = sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8082"
    pairs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    samples = sample_set(dataset)
    print(f"{len(samples)} samples: 164 references, {len(samples) - 164 - 23} mutants, 23 that never finish; "
          f"{os.cpu_count()} cores")
    started = time.perf_counter()
    evalfleet(url, samples)
    print(f"evalfleet warm-up batch (each problem's reference run once, for its limit): "
          f"{time.perf_counter() - started:.1f} s")
    ours, theirs, mismatches = [], [], 0
    for _ in range(pairs):
        started = time.perf_counter()
        results = evalfleet(url, samples)
        ours.append(time.perf_counter() - started)
        started = time.perf_counter()
        passed = human_eval(samples)
        theirs.append(time.perf_counter() - started)
        mine = [r["verdict"] == "PASSED" for r in results]
        mismatches += sum(a != b for a, b in zip(mine, passed))
        timed_out = sum(r["verdict"] == "TIMED_OUT" for r in results)
        print(f"pair: evalfleet {ours[-1]:.1f} s ({sum(mine)} passed, {timed_out} timed out), "
              f"human-eval {theirs[-1]:.1f} s ({sum(passed)} passed)")
    ratios = [o / h for o, h in zip(ours, theirs)]
    print(f"evalfleet median {statistics.median(ours):.1f} s, human-eval median {statistics.median(theirs):.1f} s, "
          f"evalfleet / human-eval median of pairs {statistics.median(ratios):.2f} "
          f"({' '.join(f'{r:.2f}' for r in ratios)}); verdicts that differ: {mismatches}")


if __name__ == "__main__":
    main()
