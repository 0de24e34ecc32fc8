# Programs for HumanEval+ verdict parity (EvalPlus's base and plus verdicts): deterministic variants
# of each problem's canonical solution, chosen so that base and plus disagree where a careless or an
# over-fitted answer would, and so that every rule of EvalPlus's comparison and process model is hit
# (exact ==, the float tolerance, the type check behind it, numpy results, per-input and whole-run
# time limits, the reliability guard, one process per (sample, base|plus)).
#
# Every program is a whole `solution` (prompt included), the form EvalPlus's samples file takes.
# The canonical solution is run here (trusted dataset code, on deep copies, as EvalPlus computes its
# ground truth) only on the base inputs and on the one plus input an "edge case" mutant gets wrong.
#
# Usage: python3 humanevalplus_mutants.py HumanEvalPlus.jsonl[.gz] [SAMPLES.jsonl]
#   writes {"task_id", "kind", "solution"} per line (stdout without a second argument)
import ast
import copy
import gzip
import io
import json
import random
import re
import sys
import tokenize

BOUNDARY_FLIPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
SIZED = (str, list, tuple, dict)

# The few programs that cost a time limit, the ones that touch the guard and the process, each on
# a fixed problem (several fixed problems where one would say little).
LOOP_IN_FUNCTION = ("HumanEval/3", "HumanEval/53", "HumanEval/101")
LOOP_IGNORING_TIMEOUT = ("HumanEval/45",)
LOOP_AT_IMPORT = ("HumanEval/60",)
LOOP_ON_PLUS_ONLY = ("HumanEval/23",)
EVERY_NTH = 32  # raises, exits, open(), prints, state, ...: on every 32nd problem, each at its own offset


def read_problems(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def signature(problem):
    """(parameter names, the source of the parameter list) of the entry point."""
    tree = ast.parse(problem["prompt"] + problem["canonical_solution"])
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == problem["entry_point"]:
            return [a.arg for a in node.args.args], ast.unparse(node.args)
    raise ValueError("no entry point in " + problem["task_id"])


def run_canonical(problem, inputs):
    scope = {}
    exec(problem["prompt"] + problem["canonical_solution"], scope)
    fn = scope[problem["entry_point"]]
    return [fn(*copy.deepcopy(inp)) for inp in inputs]


def body_indent(solution):
    for line in solution.splitlines():
        if line.strip():
            return line[: len(line) - len(line.lstrip())]
    return "    "


def with_first_statement(problem, statement):
    """The canonical solution with `statement` (one or more lines) as the first of its body."""
    indent = body_indent(problem["canonical_solution"])
    head = "".join(indent + line + "\n" for line in statement.splitlines())
    return problem["prompt"] + head + problem["canonical_solution"]


def wrapped(problem, convert, preamble=""):
    """The canonical solution renamed, and the entry point returning convert(its result)."""
    name = problem["entry_point"]
    names, params = signature(problem)
    inner = "_" + name + "_unconverted"
    program = re.sub(r"\b%s\b" % re.escape(name), inner, problem["prompt"] + problem["canonical_solution"])
    call = "%s(%s)" % (inner, ", ".join(names))
    return "%s%s\n\ndef %s(%s):\n%s\n" % (preamble, program.rstrip() + "\n", name, params,
                                          convert(call, names))


def literal(value):
    """Python source for a ground-truth value (repr, with inf and nan spelled out)."""
    text = repr(value)
    return re.sub(r"\b(inf|nan)\b", lambda m: "float('%s')" % m.group(1), text)


def perturbed(value):
    """A value that EvalPlus's comparison never takes for `value`."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 1.0
    if isinstance(value, str):
        return value + "?"
    if isinstance(value, list):
        return value[:-1] if value else [0]
    if isinstance(value, tuple):
        return value[:-1] if value else (0,)
    if isinstance(value, dict):
        return {**value, "?": 0}
    return 0


# --- mutants that must pass base and fail plus ---------------------------------------------------

def base_lookup(problem, names, base_outputs):
    """Answers exactly the base inputs, from a table of the canonical outputs; None on anything else."""
    probe = {}
    exec("def key(%s):\n    return repr((%s,))\n" % (", ".join(names), ", ".join(names)), probe)
    table = {}
    for inp, out in zip(problem["base_input"], base_outputs):
        table[probe["key"](*copy.deepcopy(inp))] = out
    if all(probe["key"](*copy.deepcopy(inp)) in table for inp in problem["plus_input"]):
        return None
    rows = "".join("    %r: %s,\n" % (k, literal(v)) for k, v in table.items())
    return (problem["prompt"] + "    return _ANSWERS.get(repr((%s,)))\n\n\n_ANSWERS = {\n%s}\n"
            % (", ".join(names), rows))


def edge_predicates(name, base_values, plus_values):
    """Conditions on one parameter, each (source, test), false on every base value."""
    def numbers(values):
        return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)

    def sized(values):
        return all(isinstance(v, SIZED) for v in values)

    everything = base_values + plus_values
    found = []
    if sized(everything):
        found.append(("not %s" % name, lambda v: not v))
        longest = max(len(v) for v in base_values)
        found.append(("len(%s) > %d" % (name, longest), lambda v, n=longest: len(v) > n))
        if all(isinstance(v, (list, tuple)) for v in everything) and all(numbers(v) for v in everything):
            found.append(("any(x < 0 for x in %s)" % name, lambda v: any(x < 0 for x in v)))
            found.append(("len(set(%s)) < len(%s)" % (name, name), lambda v: len(set(v)) < len(v)))
        if all(isinstance(v, str) for v in everything):
            found.append(("any(c.isupper() for c in %s)" % name, lambda v: any(c.isupper() for c in v)))
            found.append(("' ' in %s" % name, lambda v: " " in v))
    if numbers(everything):
        found.append(("%s < 0" % name, lambda v: v < 0))
        found.append(("%s == 0" % name, lambda v: v == 0))
        highest, lowest = max(base_values), min(base_values)
        found.append(("%s > %r" % (name, highest), lambda v, h=highest: v > h))
        found.append(("%s < %r" % (name, lowest), lambda v, l=lowest: v < l))
    return [(source, test) for source, test in found if not any(test(v) for v in base_values)]


def edge_case(problem, names):
    """An early return of a wrong constant on a kind of input that only the plus tests have."""
    for position, name in enumerate(names):
        base_values = [inp[position] for inp in problem["base_input"]]
        plus_values = [inp[position] for inp in problem["plus_input"]]
        for source, test in edge_predicates(name, base_values, plus_values):
            hits = [inp for inp in problem["plus_input"] if test(inp[position])]
            if hits:
                wrong = perturbed(run_canonical(problem, hits[:1])[0])
                return source, with_first_statement(problem, "if %s:\n    return %s" % (source, literal(wrong)))
    return None


# --- syntactic slips ------------------------------------------------------------------------------

def canonical_tokens(problem):
    prompt, source = problem["prompt"], problem["prompt"] + problem["canonical_solution"]
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        start = starts[token.start[0] - 1] + token.start[1]
        end = starts[token.end[0] - 1] + token.end[1]
        if start >= len(prompt):
            yield token, start, end


def boundary_flips(problem):
    source = problem["prompt"] + problem["canonical_solution"]
    for token, start, end in canonical_tokens(problem):
        if token.type == tokenize.OP and token.string in BOUNDARY_FLIPS:
            yield source[:start] + BOUNDARY_FLIPS[token.string] + source[end:]


def literal_increments(problem):
    source = problem["prompt"] + problem["canonical_solution"]
    for token, start, end in canonical_tokens(problem):
        if token.type == tokenize.NUMBER and token.string.isdigit():
            yield source[:start] + str(int(token.string) + 1) + source[end:]


def dropped_branches(problem):
    """Each `if` / `elif` of the canonical solution with its test replaced by False."""
    source = problem["prompt"] + problem["canonical_solution"]
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.If):
            start = starts[node.test.lineno - 1] + node.test.col_offset
            end = starts[node.test.end_lineno - 1] + node.test.end_col_offset
            if start >= len(problem["prompt"]):
                yield source[:start] + "False" + source[end:]


def compiles(source):
    try:
        compile(source, "<mutant>", "exec")
        return True
    except (SyntaxError, ValueError):
        return False


def pick(rng, candidates, canonical):
    candidates = sorted({c for c in candidates if c != canonical and compiles(c)})
    return candidates[rng.randrange(len(candidates))] if candidates else None


# --- results of the wrong type, the float tolerance, numpy ---------------------------------------

def output_kind(outputs):
    kinds = {type(o) for o in outputs}
    if kinds == {float} or all(isinstance(o, (list, tuple)) and o and all(type(x) is float for x in o)
                               for o in outputs):
        return "float"
    return kinds.pop().__name__ if len(kinds) == 1 else "mixed"


NUDGE = ("def _nudge(value, delta):\n"
         "    if isinstance(value, float):\n"
         "        return value + delta\n"
         "    if isinstance(value, (list, tuple)):\n"
         "        return type(value)(_nudge(v, delta) for v in value)\n"
         "    return value\n\n\n")


def typed_mutants(problem, kind):
    out = []
    if kind == "list":
        out.append(("list returned as tuple", wrapped(problem, lambda c, n: "    return tuple(%s)" % c)))
        out.append(("numpy array returned", wrapped(
            problem, lambda c, n: "    return np.array(%s)" % c, "import numpy as np\n")))
        out.append(("numpy round trip (tolist)", wrapped(
            problem, lambda c, n: "    return np.asarray(%s).tolist()" % c, "import numpy as np\n")))
    elif kind == "tuple":
        out.append(("tuple returned as list", wrapped(problem, lambda c, n: "    return list(%s)" % c)))
        out.append(("numpy scalars in the result", wrapped(
            problem, lambda c, n: "    return tuple(np.float64(v) if isinstance(v, float) else v for v in %s)" % c,
            "import numpy as np\n")))
    elif kind == "int":
        out.append(("int returned as float", wrapped(problem, lambda c, n: "    return float(%s)" % c)))
        out.append(("numpy int64", wrapped(problem, lambda c, n: "    return np.int64(%s)" % c,
                                           "import numpy as np\n")))
    elif kind == "bool":
        out.append(("bool returned as int", wrapped(problem, lambda c, n: "    return int(%s)" % c)))
        out.append(("numpy bool", wrapped(problem, lambda c, n: "    return np.bool_(%s)" % c,
                                          "import numpy as np\n")))
    elif kind == "str":
        out.append(("str returned as list", wrapped(problem, lambda c, n: "    return list(%s)" % c)))
    elif kind == "float":
        out.append(("float within tolerance (+5e-7)", wrapped(
            problem, lambda c, n: "    return _nudge(%s, 5e-7)" % c, NUDGE)))
        out.append(("float beyond tolerance (+5e-6)", wrapped(
            problem, lambda c, n: "    return _nudge(%s, 5e-6)" % c, NUDGE)))
        out.append(("float truncated to int", wrapped(
            problem, lambda c, n: "    r = %s\n    return int(r) if isinstance(r, float) else r" % c)))
        out.append(("numpy float64", wrapped(
            problem, lambda c, n: "    r = %s\n    return np.float64(r) if isinstance(r, float) else r" % c,
            "import numpy as np\n")))
        out.append(("numpy float64 within tolerance", wrapped(
            problem, lambda c, n: "    r = _nudge(%s, 5e-7)\n"
                                  "    return np.float64(r) if isinstance(r, float) else r" % c,
            "import numpy as np\n" + NUDGE)))
    return out


# --- the process, the guard, the time limits ------------------------------------------------------

def process_mutants(problem, index, names):
    tid = problem["task_id"]
    first_list = next((n for n, v in zip(names, problem["base_input"][0]) if isinstance(v, list)), None)
    out = []
    if tid in LOOP_IN_FUNCTION:
        out.append(("loops forever in the function", with_first_statement(problem, "while True:\n    pass")))
    if tid in LOOP_IGNORING_TIMEOUT:
        out.append(("loops forever, catching the time-out", with_first_statement(
            problem, "while True:\n    try:\n        while True:\n            pass\n"
                     "    except BaseException:\n        pass")))
    if tid in LOOP_AT_IMPORT:
        out.append(("loops forever at import", "while True:\n    pass\n" + problem["prompt"]
                    + problem["canonical_solution"]))
    if tid in LOOP_ON_PLUS_ONLY:
        found = edge_case(problem, names)
        if found:
            out.append(("loops forever on an edge case", with_first_statement(
                problem, "if %s:\n    while True:\n        pass" % found[0])))
    slot = index % EVERY_NTH
    if slot == 0:
        out.append(("raises", with_first_statement(problem, "raise ValueError('not implemented')")))
    elif slot == 1:
        out.append(("raises at import", "raise ImportError('broken module')\n" + problem["prompt"]
                    + problem["canonical_solution"]))
    elif slot == 2:
        out.append(("exits the process (os._exit)", with_first_statement(problem, "import os\nos._exit(0)")))
    elif slot == 3:
        out.append(("sys.exit", with_first_statement(problem, "import sys\nsys.exit(0)")))
    elif slot == 4:
        out.append(("writes a file (open)", with_first_statement(
            problem, "with open('scratch.txt', 'w') as f:\n    f.write('x')")))
    elif slot == 5:
        out.append(("prints", with_first_statement(problem, "print('thinking...', %s)" % ", ".join(names))))
    elif slot == 6:
        # Right on as many calls as the plus run makes, wrong from then on: passes only where base
        # and plus each start with fresh module state.
        out.append(("wrong after len(plus_input) calls in one process", wrapped(
            problem, lambda c, n: "    _calls.append(1)\n    r = %s\n    return r if len(_calls) <= %d else %s"
            % (c, len(problem["plus_input"]), "None"), "_calls = []\n")))
    elif slot == 7:
        out.append(("allocates over 4 GiB", with_first_statement(problem, "_ = bytearray(5 * 2 ** 30)")))
    elif slot == 8:
        # == on nested lists recurses in C: 100,000 levels overflow an 8 MiB stack, not the 4 GiB
        # that EvalPlus's guard allows the main thread's.
        out.append(("deep C recursion at import (stack limit)",
                    "import sys\nsys.setrecursionlimit(1000000)\n_a, _b = [], []\nfor _ in range(100000):\n"
                    "    _a, _b = [_a], [_b]\nassert _a == _b\n" + problem["prompt"] + problem["canonical_solution"]))
    elif slot == 9:
        out.append(("imports numpy in the function", with_first_statement(
            problem, "import numpy\n_ = numpy.zeros(3).sum()")))
    elif slot == 10:
        out.append(("reads os.getcwd", with_first_statement(problem, "import os\n_ = os.getcwd()")))
    elif slot == 11:
        out.append(("imports modules after the guard", with_first_statement(
            problem, "import statistics, fractions, decimal, datetime, hashlib, heapq, bisect\n"
                     "import collections, itertools, functools, string, random, re, math")))
    if first_list is not None and slot in (12, 13, 14, 15, 16, 17):
        out.append(("mutates its input after computing", wrapped(
            problem, lambda c, n: "    r = %s\n    %s.append(%s[0] if %s else 0)\n    return r"
            % (c, first_list, first_list, first_list))))
        out.append(("sorts its input before computing", with_first_statement(
            problem, "try:\n    %s.sort()\nexcept TypeError:\n    pass" % first_list)))
    return out


def programs(problem, index):
    tid = problem["task_id"]
    canonical = problem["prompt"] + problem["canonical_solution"]
    names, _ = signature(problem)
    base_outputs = run_canonical(problem, problem["base_input"])
    rng = random.Random(tid)
    out = [("canonical", canonical)]
    lookup = base_lookup(problem, names, base_outputs)
    if lookup:
        out.append(("base lookup table", lookup))
    edge = edge_case(problem, names)
    if edge:
        out.append(("edge case mishandled", edge[1]))
    dropped = pick(rng, dropped_branches(problem), canonical)
    if dropped:
        out.append(("branch dropped", dropped))
    # One token slip per problem: a boundary on odd problems where there is one, else a literal.
    flipped = pick(rng, boundary_flips(problem), canonical) if index % 2 else None
    if flipped:
        out.append(("boundary flipped", flipped))
    else:
        incremented = pick(rng, literal_increments(problem), canonical)
        if incremented:
            out.append(("literal off by one", incremented))
    kind = output_kind(base_outputs)
    # Types on every fourth problem; the float rules (few problems) on all of theirs.
    if index % 4 == 0 or kind == "float":
        out.extend(typed_mutants(problem, kind))
    out.extend(process_mutants(problem, index, names))
    for kind, program in out:
        assert compiles(program), (tid, kind)
    return [{"task_id": tid, "kind": kind, "solution": program} for kind, program in out]


def main():
    problems = read_problems(sys.argv[1])
    out = open(sys.argv[2], "w", encoding="utf-8") if len(sys.argv) > 2 else sys.stdout
    for index, problem in enumerate(problems):
        for sample in programs(problem, index):
            out.write(json.dumps(sample) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
