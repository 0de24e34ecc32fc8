#!/usr/bin/env python3
"""Independent reference figures for dev.evalfleet.coordinator.statistics.

Written from the definitions, not from the Java code: pass@k with the combinatorial formula
1 - C(n-c, k) / C(n, k) in exact integer arithmetic (the Java side uses the product form), bootstrap
percentiles with numpy's own generator and 200,000 resamples (the Java side uses 10,000 with another
generator, so the tests compare within a Monte Carlo tolerance), exact sign-flip permutation p-values
by enumerating every sign vector, and McNemar's exact p-value from binomial coefficients.

Run once from the repository root; it rewrites reference_statistics.json beside this file:

    python3 coordinator-service/src/test/resources/statistics/reference_statistics.py
"""

import json
import math
import pathlib
from fractions import Fraction

import numpy as np

REPORTED_K = [1, 2, 5, 10, 20, 50, 100]
RESAMPLES = 200_000
PERMUTATIONS = 1_000_000
EXACT_LIMIT = 20
TIE = 1e-9
# Quantiles around the 2.5th and 97.5th percentiles: a 10,000-resample percentile lands between
# the 2.0th and 3.0th (or 97.0th and 98.0th) percentiles of the bootstrap distribution unless it is
# off by more than 3 standard errors of an empirical proportion (sqrt(0.025 * 0.975 / 10,000) = 0.0016).
QUANTILES = [0.020, 0.025, 0.030, 0.970, 0.975, 0.980]
CHUNK = 5_000


def pass_at_k(n, c, k):
    if n - c < k:
        return 1.0
    return float(1 - Fraction(math.comb(n - c, k), math.comb(n, k)))


def reported_k(fewest_samples):
    return [k for k in REPORTED_K if k <= fewest_samples]


def summary(values):
    values = np.asarray(values, dtype=float)
    n = len(values)
    mean = math.fsum(values) / n
    se = float(np.std(values, ddof=1) / math.sqrt(n)) if n >= 2 else 0.0
    return mean, se


def bootstrap_quantiles(columns, seed):
    """Quantiles of the resampled means of each column, all columns on the same resampled rows."""
    matrix = np.asarray(columns, dtype=float).T  # problems x columns
    n = matrix.shape[0]
    rng = np.random.default_rng(seed)
    means = []
    for start in range(0, RESAMPLES, CHUNK):
        rows = rng.integers(0, n, size=(min(CHUNK, RESAMPLES - start), n))
        means.append(matrix[rows].mean(axis=1))
    means = np.concatenate(means)  # resamples x columns
    return [[float(q) for q in np.quantile(means[:, j], QUANTILES)] for j in range(matrix.shape[1])]


def estimates(columns, seed):
    quantiles = bootstrap_quantiles(columns, seed)
    result = []
    for values, q in zip(columns, quantiles):
        mean, se = summary(values)
        result.append({"value": mean, "standardError": se, "quantiles": dict(zip(map(str, QUANTILES), q))})
    return result


def sign_flip_p(differences, seed):
    d = np.array([x for x in differences if x != 0.0])
    m = len(d)
    if m == 0:
        return 1.0, "EXACT", 0
    observed = abs(math.fsum(d))
    if m <= EXACT_LIMIT:
        at_least = 0
        bits = np.arange(m)
        for start in range(0, 2**m, 1 << 16):
            masks = np.arange(start, min(start + (1 << 16), 2**m))
            signs = 1 - 2 * ((masks[:, None] >> bits) & 1)
            at_least += int(np.sum(np.abs(signs @ d) >= observed - TIE))
        return at_least / 2**m, "EXACT", m
    rng = np.random.default_rng(seed)
    at_least = 0
    for start in range(0, PERMUTATIONS, CHUNK):
        signs = rng.choice([-1.0, 1.0], size=(min(CHUNK, PERMUTATIONS - start), m))
        at_least += int(np.sum(np.abs(signs @ d) >= observed - TIE))
    return (at_least + 1) / (PERMUTATIONS + 1), "MONTE_CARLO", m


def mcnemar_p(only_a, only_b):
    m = only_a + only_b
    if m == 0:
        return 1.0
    tail = sum(math.comb(m, i) for i in range(min(only_a, only_b) + 1))
    return float(min(Fraction(1), Fraction(2 * tail, 2**m)))


def single_case(name, problems, seed):
    ks = reported_k(min(n for n, _ in problems))
    columns = [[pass_at_k(n, c, k) for n, c in problems] for k in ks]
    return {
        "name": name,
        "problems": [{"samples": n, "passed": c} for n, c in problems],
        "passAtK": dict(zip(map(str, ks), estimates(columns, seed))),
    }


def mean_case(name, values, seed):
    return {"name": name, "values": list(map(float, values)), "mean": estimates([values], seed)[0]}


def paired_case(name, problems, seed):
    """problems: (id, n_a, c_a, n_b, c_b)."""
    ks = reported_k(min(min(na, nb) for _, na, _, nb, _ in problems))
    by_k = []
    for k in ks:
        a = [pass_at_k(na, ca, k) for _, na, ca, _, _ in problems]
        b = [pass_at_k(nb, cb, k) for _, _, _, nb, cb in problems]
        d = [y - x for x, y in zip(a, b)]
        ea, eb, ed = estimates([a, b, d], seed + k)
        p, method, non_zero = sign_flip_p(d, seed + 1000 + k)
        by_k.append({"k": k, "a": ea, "b": eb, "difference": ed, "pValue": p,
                     "pValueMethod": method, "nonZeroDifferences": non_zero})
    one_sample_each = all(na == 1 and nb == 1 for _, na, _, nb, _ in problems)
    mcnemar = None
    changes = []
    if one_sample_each:
        only_a = sum(1 for _, _, ca, _, cb in problems if ca == 1 and cb == 0)
        only_b = sum(1 for _, _, ca, _, cb in problems if ca == 0 and cb == 1)
        mcnemar = {"solvedOnlyByA": only_a, "solvedOnlyByB": only_b, "pValue": mcnemar_p(only_a, only_b)}
    else:
        rated = [(pid, ca / na, cb / nb, index) for index, (pid, na, ca, nb, cb) in enumerate(problems)]
        rated = [(pid, ra, rb, rb - ra, index) for pid, ra, rb, index in rated if rb - ra != 0]
        rated.sort(key=lambda r: (-abs(r[3]), r[4]))
        changes = [{"problemId": pid, "rateA": ra, "rateB": rb, "change": ch} for pid, ra, rb, ch, _ in rated[:10]]
    return {
        "name": name,
        "problems": [{"problemId": pid, "samplesA": na, "passedA": ca, "samplesB": nb, "passedB": cb}
                     for pid, na, ca, nb, cb in problems],
        "byK": by_k,
        "mcnemar": mcnemar,
        "solvedOnlyByA": [pid for pid, _, ca, _, cb in problems if ca > 0 and cb == 0],
        "solvedOnlyByB": [pid for pid, _, ca, _, cb in problems if cb > 0 and ca == 0],
        "largestChanges": changes,
    }


def humaneval_ids(count):
    return [f"HumanEval/{i}" for i in range(count)]


def main():
    data = np.random.default_rng(13)
    # Problem difficulty spread as models show it: many problems nearly always or nearly never solved.
    difficulty = data.beta(0.6, 0.6, size=164)
    mixed_n = data.choice([100, 120, 200], size=164)
    mixed = [(int(n), int(data.binomial(n, p))) for n, p in zip(mixed_n, difficulty)]

    better = np.clip(difficulty + data.normal(0.04, 0.12, size=164), 0, 1)
    one_a = data.random(164) < difficulty
    # b shares most outcomes with a (same problems are easy for both), differs on some.
    one_b = np.where(data.random(164) < 0.5, one_a, data.random(164) < better)
    paired_n1 = [(pid, 1, int(a), 1, int(b)) for pid, a, b in zip(humaneval_ids(164), one_a, one_b)]
    paired_n5 = [(pid, 5, int(data.binomial(5, p)), 5, int(data.binomial(5, q)))
                 for pid, p, q in zip(humaneval_ids(164), difficulty, better)]
    repair = (data.random(164) < difficulty).astype(float)

    hand_n1_a = [1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0]
    hand_n1_b = [0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1, 0]  # a only: 6, b only: 1
    hand_n1 = [(pid, 1, a, 1, b) for pid, a, b in zip(humaneval_ids(12), hand_n1_a, hand_n1_b)]
    hand_n5 = [(pid, 5, ca, 5, cb) for pid, ca, cb in zip(
        humaneval_ids(10), [0, 1, 2, 5, 3, 0, 4, 1, 5, 2], [1, 1, 4, 5, 2, 3, 5, 0, 5, 4])]
    hand_mixed = [("HumanEval/3", 4, 1, 2, 1), ("HumanEval/7", 3, 0, 2, 2), ("HumanEval/11", 6, 6, 2, 1),
                  ("HumanEval/40", 2, 1, 3, 3)]

    fixture = {
        "script": "coordinator-service/src/test/resources/statistics/reference_statistics.py",
        "numpy": np.__version__,
        "resamples": RESAMPLES,
        "permutations": PERMUTATIONS,
        "quantiles": QUANTILES,
        "single": [
            single_case("hand-5-problems", [(3, 0), (3, 1), (3, 2), (3, 3), (4, 2)], 101),
            single_case("humaneval-164-mixed-n", mixed, 102),
        ],
        "mean": [
            mean_case("hand-5-values", [0.5, 0.25, 1.0, 0.0, 0.75], 201),
            mean_case("repair-iteration-164", repair, 202),
        ],
        "paired": [
            paired_case("hand-12-n1", hand_n1, 301),
            paired_case("hand-10-n5", hand_n5, 302),
            paired_case("hand-4-mixed-n", hand_mixed, 303),
            paired_case("humaneval-164-n1", paired_n1, 304),
            paired_case("humaneval-164-n5", paired_n5, 305),
        ],
    }
    out = pathlib.Path(__file__).with_name("reference_statistics.json")
    out.write_text(json.dumps(fixture, indent=1) + "\n")


if __name__ == "__main__":
    main()
