# Plausible wrong programs for VerdictParityTest: deterministic mutants of HumanEval's reference
# solutions, the kind of slip a model makes. Every mutant is a completion (it follows the problem's
# prompt, exactly as a model's answer would) that still compiles.
#
# Usage: python3 humaneval_mutants.py HumanEval.jsonl.gz PER_PROBLEM > mutants.json
#   prints [{"task_id", "mutator", "completion"}, ...]
import ast
import gzip
import io
import json
import random
import sys
import tokenize

COMPARISON_FLIPS = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
ARITHMETIC_SWAPS = {"+": "-", "-": "+", "//": "%", "%": "//"}
BOOLEAN_SWAPS = {"and": "or", "or": "and"}


def solution_tokens(prompt, solution):
    """Tokens of the solution only, with their offsets in the solution text."""
    source = prompt + solution
    line_starts = [0]
    for line in source.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    tokens = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        start = line_starts[token.start[0] - 1] + token.start[1]
        end = line_starts[token.end[0] - 1] + token.end[1]
        if start >= len(prompt) and token.type in (tokenize.OP, tokenize.NAME, tokenize.NUMBER):
            tokens.append((token.type, token.string, start - len(prompt), end - len(prompt)))
    return tokens


def replace(text, start, end, new):
    return text[:start] + new + text[end:]


def token_mutants(prompt, solution):
    for kind, string, start, end in solution_tokens(prompt, solution):
        if kind == tokenize.OP and string in COMPARISON_FLIPS:
            yield "flip comparison", replace(solution, start, end, COMPARISON_FLIPS[string])
        elif kind == tokenize.OP and string in ARITHMETIC_SWAPS:
            yield "swap arithmetic", replace(solution, start, end, ARITHMETIC_SWAPS[string])
        elif kind == tokenize.NAME and string in BOOLEAN_SWAPS:
            yield "swap and/or", replace(solution, start, end, BOOLEAN_SWAPS[string])
        elif kind == tokenize.NUMBER and string.isdigit():
            yield "off by one", replace(solution, start, end, str(int(string) + 1))
            if int(string) > 0:
                yield "off by one", replace(solution, start, end, str(int(string) - 1))


def return_none_mutant(prompt, solution):
    """The last `return X` of the solution becomes `return None`."""
    tree = ast.parse(prompt + solution)
    offset = len(prompt)
    line_starts = [0]
    for line in (prompt + solution).splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    returns = [node for node in ast.walk(tree) if isinstance(node, ast.Return) and node.value is not None]
    returns = [node for node in returns
               if line_starts[node.value.lineno - 1] + node.value.col_offset >= offset]
    if returns:
        last = max(returns, key=lambda node: (node.lineno, node.col_offset))
        start = line_starts[last.value.lineno - 1] + last.value.col_offset - offset
        end = line_starts[last.value.end_lineno - 1] + last.value.end_col_offset - offset
        yield "return None", replace(solution, start, end, "None")


def first_line_mutant(solution):
    lines = [line for line in solution.splitlines(keepends=True) if line.strip()]
    if len(lines) > 1:
        yield "first line only", lines[0]


def compiles(source):
    try:
        compile(source, "<mutant>", "exec")
        return True
    except (SyntaxError, ValueError):
        return False


def mutants(problem, per_problem):
    prompt, solution = problem["prompt"], problem["canonical_solution"]
    found = {}
    for generator in (token_mutants(prompt, solution), return_none_mutant(prompt, solution),
                      first_line_mutant(solution)):
        for mutator, completion in generator:
            if completion != solution and completion not in found and compiles(prompt + completion):
                found[completion] = mutator
    by_mutator = {}
    for completion, mutator in sorted(found.items(), key=lambda item: (item[1], item[0])):
        by_mutator.setdefault(mutator, []).append(completion)
    # Seeded by the task id, so the same data set always gives the same mutants; one mutator after
    # the other, so that literals (the most common site) do not crowd out the rest.
    rng = random.Random(problem["task_id"])
    kinds = sorted(by_mutator)
    rng.shuffle(kinds)
    chosen = []
    while kinds and len(chosen) < per_problem:
        for mutator in list(kinds):
            if len(chosen) == per_problem:
                break
            sites = by_mutator[mutator]
            chosen.append((sites.pop(rng.randrange(len(sites))), mutator))
            if not sites:
                kinds.remove(mutator)
    return [{"task_id": problem["task_id"], "mutator": mutator, "completion": completion}
            for completion, mutator in chosen]


def main():
    per_problem = int(sys.argv[2])
    with gzip.open(sys.argv[1], "rt", encoding="utf-8") as f:
        problems = [json.loads(line) for line in f if line.strip()]
    out = []
    for problem in problems:
        out.extend(mutants(problem, per_problem))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
