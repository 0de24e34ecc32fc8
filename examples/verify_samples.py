"""Checks a HumanEval-format JSONL file: every reference solution passes its tests and its
docstring examples, and a stub body (`return None`) fails its tests.

Usage: python3 examples/verify_samples.py [examples/sample-problems.jsonl]
Runs the dataset's code in this process: use it only on problems you wrote or trust.
"""
import doctest
import json
import sys
import types
from pathlib import Path

REQUIRED = ("task_id", "prompt", "canonical_solution", "test", "entry_point")


def program(problem, body):
    return problem["prompt"] + body + "\n" + problem["test"] + "\n" + f"check({problem['entry_point']})\n"


def passes(source):
    try:
        exec(compile(source, "<problem>", "exec"), {"__name__": "__problem__"})
        return True
    except Exception:
        return False


def docstring_examples_hold(problem):
    module = types.ModuleType("problem")
    exec(problem["prompt"] + problem["canonical_solution"], module.__dict__)
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(verbose=False)
    tests = finder.find(getattr(module, problem["entry_point"]), problem["entry_point"], globs=module.__dict__)
    examples = sum(len(t.examples) for t in tests)
    for test in tests:
        runner.run(test, out=lambda _: None)
    return examples > 0 and runner.failures == 0


def check(path):
    failures = []
    seen = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        problem = json.loads(line)
        where = f"{path}:{number} ({problem.get('task_id')})"
        missing = [field for field in REQUIRED if not isinstance(problem.get(field), str)]
        if missing:
            failures.append(f"{where}: missing {missing}")
            continue
        if problem["task_id"] in seen:
            failures.append(f"{where}: duplicate task_id")
        seen.add(problem["task_id"])
        if not problem["canonical_solution"].startswith("    "):
            failures.append(f"{where}: canonical_solution must be the body, indented 4 spaces")
        if not passes(program(problem, problem["canonical_solution"])):
            failures.append(f"{where}: reference solution fails its tests")
        if passes(program(problem, "    return None\n")):
            failures.append(f"{where}: a `return None` stub passes its tests")
        if not docstring_examples_hold(problem):
            failures.append(f"{where}: docstring has no >>> example, or one that does not hold")
    return len(seen), failures


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).with_name("sample-problems.jsonl"))
    count, failures = check(target)
    for failure in failures:
        print(failure)
    print(f"{count} problems, {len(failures)} problem(s) found")
    sys.exit(1 if failures else 0)
