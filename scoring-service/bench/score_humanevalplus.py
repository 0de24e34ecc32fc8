#!/usr/bin/env python3
"""Benchmark: scoring HumanEval+'s 164 canonical solutions (124,253 inputs) in the scoring service
against EvalPlus's own evaluator, on the same machine, in the same run.

Usage: python3 bench/score_humanevalplus.py HumanEvalPlus.jsonl.gz SERVICE_URL [EVALPLUS_COMMAND] [PAIRS]

EVALPLUS_COMMAND runs EvalPlus's evaluator on a samples file whose path replaces {samples}, e.g.
"env HUMANEVAL_OVERRIDE_PATH=HumanEvalPlus.jsonl python3 -m evalplus.evaluate --dataset humaneval
--samples {samples} --i-just-wanna-run" from a checkout of evalplus/evalplus (not part of this project;
see docs/benchmarks.md for how it was run here). Its ground truth is cached between runs, as EvalPlus
caches it; evalfleet keeps its reference runs in memory the same way.
1. evalfleet's first batch on a freshly started service: the reference runs (expected outputs and
   times of every input) are part of it. Reported on its own.
2. PAIRS alternating pairs of an evalfleet batch (POST /api/executions/batch, no timeoutSeconds:
   EvalPlus's limits) and an EvalPlus run; medians and the median ratio.
"""
import gzip, json, os, shlex, statistics, subprocess, sys, tempfile, time, urllib.request


def post(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=3600) as response:
        return json.loads(response.read())


def evalfleet(url, problems):
    batch = [{"program": p["prompt"] + p["canonical_solution"],
              "tests": {"entryPoint": p["entry_point"], "reference": p["prompt"] + p["canonical_solution"],
                        "inputs": {"dataset": "HUMANEVAL", "problemId": p["task_id"],
                                   "baseInputs": json.dumps(p["base_input"]), "plusInputs": json.dumps(p["plus_input"]),
                                   "atol": p["atol"]}}} for p in problems]
    started = time.perf_counter()
    results = []
    for i in range(0, len(batch), 100):
        results += post(url + "/api/executions/batch", batch[i:i + 100])
    elapsed = time.perf_counter() - started
    assert all(r["verdict"] == "PASSED" and r["passedBase"] for r in results), \
        [(p["task_id"], r["feedback"][:200]) for p, r in zip(problems, results) if r["verdict"] != "PASSED"]
    return elapsed


def evalplus(command, samples):
    started = time.perf_counter()
    subprocess.run(command.replace("{samples}", shlex.quote(samples)), shell=True, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    dataset, url = sys.argv[1], sys.argv[2]
    command = sys.argv[3] if len(sys.argv) > 3 else None
    pairs = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    with gzip.open(dataset, "rt") as f:
        problems = [json.loads(line) for line in f if line.strip()]
    samples = os.path.join(tempfile.mkdtemp(), "canonical.jsonl")
    with open(samples, "w") as f:
        for p in problems:
            f.write(json.dumps({"task_id": p["task_id"], "solution": p["prompt"] + p["canonical_solution"]}) + "\n")
    print(f"{len(problems)} problems, {sum(len(p['base_input']) + len(p['plus_input']) for p in problems)} inputs, "
          f"{os.cpu_count()} cores")
    print(f"evalfleet first batch (reference runs included): {evalfleet(url, problems):.1f} s")
    ours, theirs = [], []
    for _ in range(pairs):
        ours.append(evalfleet(url, problems))
        if command:
            theirs.append(evalplus(command, samples))
        print(f"pair: evalfleet {ours[-1]:.1f} s" + (f", EvalPlus {theirs[-1]:.1f} s" if command else ""))
    print(f"evalfleet median {statistics.median(ours):.1f} s", end="")
    if command:
        ratios = [o / t for o, t in zip(ours, theirs)]
        print(f", EvalPlus median {statistics.median(theirs):.1f} s, evalfleet / EvalPlus median of pairs "
              f"{statistics.median(ratios):.2f} ({' '.join(f'{r:.2f}' for r in ratios)})")
    else:
        print()


if __name__ == "__main__":
    main()
