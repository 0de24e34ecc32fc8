# Trusted test runner of the evalfleet scoring service. Started as `python3 -I -c <this file + main()>`
# (unsandboxed mode), or loaded as the module `runner` into the fork server (zygote.py), which calls
# start() in each child.
#
# Protocol (see PythonRunner.java):
#   stdin  : line 1 = per-run secret nonce, rest = the job as JSON. Read to EOF and replaced by
#            /dev/null before any untrusted code runs, so the program can neither read the job
#            (the hidden tests) nor the nonce from it.
#   stdout : the report channel. Duplicated to a private descriptor; every record is one line
#            "@evalfleet:<nonce> <json>". The untrusted code's fds 1 and 2 both go to stderr,
#            which the service drains with a cap.
#   A run counts as complete only when the "done" record arrives with the nonce: a program that
#   exits early, kills itself or prints something that looks like success cannot produce it.
import ast
import base64
import builtins
import copy
import ctypes
import hashlib
import io
import json
import math
import linecache
import operator
import os
import pickle
import resource
import signal
import sys
import time
import traceback
import warnings

# Bound now: the program shares this interpreter and could replace os.write or os.kill later.
_write, _kill, _waitpid, _listdir, _getpid = os.write, os.kill, os.waitpid, os.listdir, os.getpid
_sleep = time.sleep
_open = open
_cpu_time = time.process_time
_setitimer, _signal = signal.setitimer, signal.signal
_setrlimit = resource.setrlimit
_LIBC = ctypes.CDLL(None, use_errno=True)
PR_SET_CHILD_SUBREAPER = 36

MARK = "@evalfleet:"
MAX_MESSAGE = 2000
MAX_REPR = 300
TRACE_HEAD = 4
TRACE_TAIL = 8

COMPARISONS = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


# The program shares this interpreter and may replace json.dumps, json.JSONEncoder or builtins such
# as isinstance; records are therefore encoded by the runner itself with functions bound at import.
_isinstance, _str, _int, _list, _dict, _ord = isinstance, str, int, list, dict, ord
_isascii, _isprintable = str.isascii, str.isprintable
_JSON_SAFE = frozenset(range(0x20, 0x7F)) - {ord('"'), ord("\\")}


def encode(value):
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if _isinstance(value, _int):
        return _int.__repr__(value)
    if _isinstance(value, _str):
        if _isascii(value) and _isprintable(value) and '"' not in value and "\\" not in value:
            return '"' + value + '"'  # base64 and most text: no character needs escaping
        parts = ['"']
        for ch in value:
            code = _ord(ch)
            if code in _JSON_SAFE:
                parts.append(ch)
            elif code < 0x10000:
                parts.append("\\u%04x" % code)
            else:
                code -= 0x10000
                parts.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
        parts.append('"')
        return "".join(parts)
    if _isinstance(value, _list):
        return "[" + ",".join([encode(item) for item in value]) + "]"
    return "{" + ",".join([encode(_str(k)) + ":" + encode(v) for k, v in _dict.items(value)]) + "}"


def reporter(fd, nonce):
    # The nonce lives only in this closure; the untrusted code never gets a reference to it.
    prefix = ("\n" + MARK + nonce + " ").encode("ascii")

    def report_encoded(record):
        data = memoryview(prefix + record + b"\n")
        while data:
            data = data[_write(fd, data):]

    def report(**record):
        report_encoded(encode(record).encode("ascii"))

    return report, report_encoded


def become_subreaper():
    # Orphans of the program's processes (double forks, setsid) are re-parented to the runner
    # instead of init, so the runner and the service still find and kill them.
    try:
        _LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except Exception:
        pass


def children(me):
    found = []
    for name in _listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if fields[0] not in (b"Z", b"X") and int(fields[1]) == me:
            found.append(int(name))
    return found


def kill_descendants():
    """Kills and reaps whatever the program left running; as subreaper, orphans come back to us."""
    try:
        _waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return  # the usual case: the program started no process (none left, not even a zombie)
    me = _getpid()
    for _ in range(5000):
        for pid in children(me):
            try:
                _kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            while _waitpid(-1, os.WNOHANG)[0] != 0:
                pass
        except ChildProcessError:
            return  # no children left, not even zombies
        _sleep(0.001)


def planned_limits(limits):
    """The (resource, soft, hard) rlimits a run gets; computed before the run (by the fork server in
    the process whose limits the run inherits), applied by apply_limits in the run."""
    planned = []

    def lower(which, soft, hard=None):
        if not soft or soft <= 0:
            return
        hard = soft if hard is None else hard
        _, current_hard = resource.getrlimit(which)
        if current_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, current_hard), min(hard, current_hard)
        # The hard limit is lowered too, so the program cannot raise its own limits again.
        planned.append((which, (soft, hard)))

    cpu = limits.get("cpuSeconds")
    # SIGXCPU at the soft limit, SIGKILL one second later if the program ignores it.
    lower(resource.RLIMIT_CPU, cpu, cpu + 1 if cpu else None)
    lower(resource.RLIMIT_AS, limits.get("addressSpaceBytes"))
    lower(resource.RLIMIT_FSIZE, limits.get("fileSizeBytes"))
    # EvalPlus's guard sets the stack limit to its memory limit (human-eval's sets none): deep C
    # recursion that passes there must not crash here
    lower(resource.RLIMIT_STACK, limits.get("stackBytes"))
    lower(resource.RLIMIT_NOFILE, limits.get("openFiles"))
    # Counts every process and thread of the sandbox's user namespace (only sent when sandboxed:
    # unsandboxed it would count all processes of the service's user).
    lower(resource.RLIMIT_NPROC, limits.get("processes"))
    return planned


def apply_limits(planned):
    for which, values in planned:
        _setrlimit(which, values)


# What openai/human-eval's reliability_guard() disables before it runs a program, disabled the same
# way (set to None, so calling them raises TypeError) for verdict parity: a program that calls
# os.kill or subprocess.Popen fails under human-eval and must fail here too, even though the sandbox
# would make the call harmless. Not a security measure (posix.kill still works); the sandbox is.
GUARDED_OS = ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork",
              "forkpty", "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown",
              "chmod", "chown", "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir")
GUARDED_MODULES = ("ipdb", "joblib", "resource", "psutil", "tkinter")
_GUARDED = False


def guard_like_human_eval():
    """Called after the runner has bound all it needs (_kill, _waitpid, resource, ...). The fork server
    calls it once for all its runs, before it serves any."""
    global _GUARDED
    if _GUARDED:
        return
    _GUARDED = True
    import builtins
    import faulthandler
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


def trim(text, limit):
    if len(text) <= limit:
        return text
    half = (limit - 5) // 2
    return text[:half] + " ... " + text[-half:]


def safe_repr(value):
    try:
        return trim(repr(value), MAX_REPR)
    except BaseException as e:  # a hostile __repr__ must not break the report
        return "<unrepresentable %s: %s>" % (type(value).__name__, type(e).__name__)


def safe_str(value):
    try:
        return str(value)
    except BaseException:
        return safe_repr(value)


def exception_line(e):
    try:
        return trim("".join(traceback.format_exception_only(type(e), e)).strip(), MAX_MESSAGE // 2)
    except BaseException:
        return type(e).__name__


def trimmed_traceback(e):
    """The traceback without the runner's own frames, first and last lines only."""
    if isinstance(e, SyntaxError):
        # Where the code does not parse is all that matters; the compiler's frames are noise.
        return exception_line(e)
    for filename, text in _SOURCES.items():
        remember_source(filename, text)
    tb = e.__traceback__
    # The harness's frames are always outermost: the runner's own ("<string>" when it runs from -c) and
    # the fork server's.
    while tb is not None and tb.tb_frame.f_code.co_filename in HARNESS_FILES:
        tb = tb.tb_next
    try:
        lines = "".join(traceback.format_exception(type(e), e, tb)).rstrip("\n").split("\n")
    except BaseException:
        return exception_line(e)
    if tb is None:
        # Raised by the runner itself (e.g. a failed comparison): the frames say nothing.
        return lines[-1] if lines else ""
    if len(lines) > TRACE_HEAD + TRACE_TAIL + 1:
        omitted = len(lines) - TRACE_HEAD - TRACE_TAIL
        lines = lines[:TRACE_HEAD] + ["  ... (%d lines omitted)" % omitted] + lines[-TRACE_TAIL:]
    return "\n".join(trim(line, 400) for line in lines)


HARNESS_FILES = ("<string>", "<runner>", "<zygote>")


def remember_source(filename, source):
    # Lets tracebacks show the lines of code compiled from strings.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


class ComparisonFailed(AssertionError):
    def __init__(self, details, message):
        super().__init__(message)
        self.details = details
        self.has_message = message is not None


def contains_assert(stmt):
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    return any(isinstance(node, ast.Assert) for node in ast.walk(stmt))


# Tests are compiled once, before any untrusted code runs (in the fork server: once per distinct tests,
# then cached), into one function whose body is the tests in order, each wrapped in
#     with __evalfleet_test__(index): <test>
# The tester reports the test's start and outcome and swallows its failure, so a failing test does not
# stop the others; a statement that is not a test (setup) is left bare, so its failure ends the run. A
# plain `assert` becomes
#     if not __evalfleet_test__.compare(<left>, <operator>, <right>): __evalfleet_test__.fail(<message>)
# which evaluates each side once, so the expected and actual values can be reported, and the message
# only when the assertion fails, as Python does. Nothing of this is compiled or parsed in the run.
TESTER = "__evalfleet_test__"
OPERATORS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is, ast.IsNot, ast.In, ast.NotIn)


def _tester_call(method, *args):
    return ast.Call(ast.Attribute(ast.Name(TESTER, ast.Load()), method, ast.Load()), list(args), [])


def _rewritten_assert(stmt):
    test = stmt.test
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        check = _tester_call("compare", test.left, ast.Constant(OPERATORS.index(type(test.ops[0]))),
                             test.comparators[0])
    elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        check = _tester_call("falsy", test.operand)
    else:
        check = _tester_call("truthy", test)
    fail = ast.Expr(_tester_call("fail", *([stmt.msg] if stmt.msg is not None else [])))
    return ast.If(ast.UnaryOp(ast.Not(), check), [fail], [])


def _as_test(index, statements):
    """`with TESTER(index): <statements>`, a plain `assert` rewritten; new nodes take the place of the
    first statement."""
    if len(statements) == 1 and isinstance(statements[0], ast.Assert):
        statements = [_rewritten_assert(statements[0])]
    wrapped = ast.With([ast.withitem(ast.Call(ast.Name(TESTER, ast.Load()), [ast.Constant(index)], []))],
                       statements)
    for node in ast.walk(wrapped):
        if not hasattr(node, "lineno"):
            ast.copy_location(node, statements[0] if hasattr(statements[0], "lineno") else _LINE_ONE)
    return wrapped


_LINE_ONE = ast.Pass(lineno=1, col_offset=0, end_lineno=1, end_col_offset=0)


def _function_code(name, params, body, filename):
    """Compiles `def name(params): body` and returns the function's code object."""
    arguments = ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in params], kwonlyargs=[], kw_defaults=[],
                              defaults=[])
    definition = ast.FunctionDef(name, arguments, body, [], None)
    ast.copy_location(definition, body[0])
    module = ast.Module([definition], [])
    ast.fix_missing_locations(module)
    code = compile(module, filename, "exec", dont_inherit=True)
    return next(c for c in code.co_consts if isinstance(c, type(code)) and c.co_name == name)


class Prepared:
    """A job's tests, compiled and ready to run in any number of runs."""

    def __init__(self, sources, module=None, functions=(), error=None, candidate=None, sources_by_file=None):
        self.sources = sources  # each test's source, for the report
        self.module = module  # human-eval: the test program's own code, run after the program
        self.functions = functions  # (code, None) run in order with the tester, or (None, SyntaxError)
        self.error = error  # the tests do not compile
        self.candidate = candidate  # the entry point check() receives, or None
        self.sources_by_file = sources_by_file or {}  # for tracebacks
        self.plan = encode({"event": "plan", "total": len(sources), "sources": sources}).encode("ascii")


def prepare(job):
    if job.get("inputs"):
        return PreparedInputs(job)
    return prepare_human_eval(job) if job.get("checkProgram") else prepare_asserts(job)


def prepare_human_eval(job):
    text = job["checkProgram"]
    entry_point = job["entryPoint"]
    try:
        module = ast.parse(text, "<tests>")
        module_code = compile(module, "<tests>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        return Prepared([], error="The tests do not compile:\n" + exception_line(e))
    check = next((s for s in module.body if isinstance(s, ast.FunctionDef) and s.name == "check"), None)
    if check is None or len(check.args.args) != 1:
        # Not a shape we can split: run human-eval's own call as the single test.
        call_source = "check(%s)" % entry_point
        call = ast.parse(call_source, "<check>").body[0]
        code = _function_code("run_check", [TESTER], [_as_test(0, [call])], "<check>")
        return Prepared([call_source], module_code, ((code, None),),
                        sources_by_file={"<tests>": text, "<check>": call_source})
    sources = []
    body = []
    for stmt in check.body:
        if contains_assert(stmt):
            body.append(_as_test(len(sources), [stmt]))
            sources.append(ast.get_source_segment(text, stmt) or ast.unparse(stmt))
        else:
            body.append(stmt)
    # Named check, with check's own parameter: tracebacks read as they would from human-eval's check().
    code = _function_code("check", [check.args.args[0].arg, TESTER], body, "<tests>")
    return Prepared(sources, module_code, ((code, None),), candidate=entry_point,
                    sources_by_file={"<tests>": text})


def prepare_asserts(job):
    functions = []
    files = {}
    for index, text in enumerate(job["asserts"]):
        filename = "<test %d>" % (index + 1)
        files[filename] = text
        try:
            # several statements (or none) are one test together
            body = ast.parse(text, filename).body or [ast.Pass()]
            functions.append((_function_code("test", [TESTER], [_as_test(index, body)], filename), None))
        except (SyntaxError, ValueError) as e:
            functions.append((None, e))
    return Prepared(list(job["asserts"]), functions=tuple(functions), sources_by_file=files)


class Tester:
    """`with tester(index):` around each test: reports its start and outcome, swallows its failure."""

    def __init__(self, report, report_encoded):
        self.report = report
        self.report_encoded = report_encoded
        self.index = None
        self.details = None

    def __call__(self, index):
        self.index = index
        self.report_encoded(b'{"event":"start","index":%d}' % index)
        return self

    def __enter__(self):
        return self

    def __exit__(self, kind, e, tb):
        if kind is None:
            self.report_encoded(b'{"event":"test","index":%d,"passed":true}' % self.index)
        elif isinstance(e, ComparisonFailed):
            text = e.details
            if e.has_message:
                text = trim("AssertionError: %s" % safe_str(e.args[0]), MAX_REPR) + "\n" + text
            self.report(event="test", index=self.index, passed=False, message=trim(text, MAX_MESSAGE))
        else:  # SystemExit and KeyboardInterrupt inside a test are failures too
            self.report(event="test", index=self.index, passed=False, message=trim(trimmed_traceback(e), MAX_MESSAGE))
        return True

    def compare(self, left, operator_index, right):
        if COMPARISONS[OPERATORS[operator_index]](left, right):
            return True
        if OPERATORS[operator_index] is ast.Eq:
            self.details = "expected: %s\nactual:   %s" % (safe_repr(right), safe_repr(left))
        else:
            self.details = "left:  %s\nright: %s" % (safe_repr(left), safe_repr(right))
        return False

    def truthy(self, value):
        if value:
            return True
        self.details = "expected a true value, got: %s" % safe_repr(value)
        return False

    def falsy(self, value):
        if not value:
            return True
        self.details = "expected a false value, got: %s" % safe_repr(value)
        return False

    def fail(self, *message):
        raise ComparisonFailed(self.details, message[0] if message else None)


# EvalPlus input tests. Semantics follow EvalPlus's evaluator (evalplus/eval/__init__.py, evaluate.py,
# data/mbpp.py at 26d6d00), written anew here: each input is one test; the expected output is the
# reference solution's output on a deep copy of the input; outputs compare exactly, or as floats within
# atol (0 means 1e-6 once an expected output is a float), with the special oracles of a few problems.
# A reference run reports the expected outputs (pickled) and each input's CPU time; a candidate run
# gets them back with a CPU-time limit per input. Outputs too large to carry (HumanEval/15's, HumanEval/130's;
# docs/scoring.md) travel as digests (DIGEST_RECORD), and where a program's output differs the run computes
# the reference's output itself from an untouched copy of the input, as EvalPlus's own test scripts for
# those problems do.
CARRIED_OUTPUTS_LIMIT = 8 << 20

# MBPP+ stores some arguments as JSON lists where the function takes tuples, sets or complex numbers;
# EvalPlus converts them per problem on load. Each entry: problem number -> conversion of one input.
def _tuples(items):
    return [tuple(item) for item in items]


def _deep_tuple(value):
    return tuple(_deep_tuple(item) for item in value) if isinstance(value, list) else value


MBPP_INPUT_DECODING = {}
for _n in (2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560, 579, 596, 616, 630, 726, 740, 744,
           809):
    MBPP_INPUT_DECODING[_n] = _tuples
for _n in (63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614, 780):
    MBPP_INPUT_DECODING[_n] = lambda inp: [_tuples(arg) for arg in inp]
for _n in (75, 413, 444, 753):
    MBPP_INPUT_DECODING[_n] = lambda inp: [_tuples(inp[0]), inp[1]]
for _n in (106, 750):
    MBPP_INPUT_DECODING[_n] = lambda inp: [inp[0], tuple(inp[1])]
MBPP_INPUT_DECODING[115] = lambda inp: [[set(item) if isinstance(item, list) and item else {} for item in inp[0]]]
MBPP_INPUT_DECODING[124] = lambda inp: (float(inp[0]), complex(inp[1]))
for _n in (250, 405, 446, 617, 720, 763, 808):
    MBPP_INPUT_DECODING[_n] = lambda inp: [tuple(inp[0]), inp[1]]
for _n in (259, 401, 445):
    MBPP_INPUT_DECODING[_n] = lambda inp: [tuple(_tuples(arg)) for arg in inp]
MBPP_INPUT_DECODING[278] = lambda inp: [tuple(tuple(x) if isinstance(x, list) else x for x in inp[0])]
MBPP_INPUT_DECODING[307] = lambda inp: [tuple(inp[0]), inp[1], inp[2]]
MBPP_INPUT_DECODING[722] = lambda inp: [{key: tuple(value) for key, value in inp[0].items()}] + inp[1:]
MBPP_INPUT_DECODING[252] = lambda inp: [complex(inp[0])]
for _n in (580, 615, 791):
    MBPP_INPUT_DECODING[_n] = _deep_tuple
del _n

# Problems whose reference returns something that cannot be carried (a match object): only whether it
# is None counts.
MBPP_OUTPUT_NOT_NONE = frozenset(("check_str", "text_match_three", "text_starta_endb"))
# Problems whose answer is a collection in any order.
MBPP_OUTPUT_SET_EQUAL = frozenset(("similar_elements", "find_char_long", "common_in_nested_lists", "extract_singly",
                                   "larg_nnum", "intersection_array", "find_dissimilar", "Diff"))


def decode_inputs(dataset, problem_id, text):
    inputs = json.loads(text)
    if dataset == "MBPP":
        decode = MBPP_INPUT_DECODING.get(int(str(problem_id).rsplit("/", 1)[-1]))
        if decode is not None:
            inputs = [decode(inp) for inp in inputs]
    return inputs


def _polynomial(xs, x):
    # HumanEval/32 (find_zero): the answer is right if the polynomial is (nearly) zero there.
    return sum([coefficient * math.pow(x, power) for power, coefficient in enumerate(xs)])


def _pyramid_surface(base_edge, height):
    # Mbpp/581's second reading of "height" (EvalPlus accepts either answer).
    slant = math.sqrt((base_edge / 2) ** 2 + height ** 2)
    return round(base_edge ** 2 + 4 * (base_edge * slant) / 2)


def _digit_distance(a, b):
    # Mbpp/558's second reading: numbers of different lengths padded with zeros.
    left, right = str(a), str(b)
    width = max(len(left), len(right))
    return sum(abs(int(x) - int(y)) for x, y in zip(left.zfill(width), right.zfill(width)))


def _is_floats(value):
    if isinstance(value, float):
        return True
    if isinstance(value, (list, tuple)) and value:
        return all(isinstance(item, float) for item in value)
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.ndarray):
        return value.dtype == numpy.float64 or value.dtype == numpy.float32
    return False


def _allclose(actual, expected, atol):
    numpy = sys.modules.get("numpy")
    if numpy is None:
        import numpy
    return numpy.allclose(actual, expected, rtol=1e-07, atol=atol)


class OutputMismatch(AssertionError):
    pass


class Comparison:
    """EvalPlus's comparison of one part (base or plus): its atol becomes 1e-6 for the rest of the part
    once an expected output is a float and atol is 0, as in EvalPlus's per-part process."""

    def __init__(self, dataset, entry_point, atol):
        self.dataset = dataset
        self.entry_point = entry_point
        self.atol = atol
        self.special = self._special()

    def _special(self):
        """Whether a special oracle, not equality, judges this problem's outputs."""
        if self.dataset == "MBPP":
            return self.entry_point in ("are_equivalent", "sum_div", "surface_Area", "digit_distance_nums") \
                or self.entry_point in MBPP_OUTPUT_SET_EQUAL or self.entry_point in MBPP_OUTPUT_NOT_NONE
        return self.entry_point == "find_zero"

    def matches_digest(self, actual, digests, index):
        """Whether `actual` is exactly the reference's output, by its digest (see DIGEST_RECORD)."""
        record = digests[index * DIGEST_RECORD:(index + 1) * DIGEST_RECORD]
        if len(record) != DIGEST_RECORD or record[0] & NO_DIGEST or self.special:
            return False
        try:
            if _sha256(_dumps(actual, protocol=4)).digest() != record[1:]:
                return False
        except Exception:
            return False
        if record[0] & FLOATS and self.atol == 0:
            self.atol = 1e-6  # as check() would have set it, for the rest of the part
        return True

    def check(self, actual, expected, inp):
        """Raises when `actual` is wrong; any exception the comparison itself raises is a failure too."""
        exact = actual == expected
        name = self.entry_point
        if self.dataset == "MBPP":
            if name == "are_equivalent":
                exact = True
            elif name == "sum_div":
                exact = exact or actual == 0
            elif name == "surface_Area":
                exact = exact or abs(actual - _pyramid_surface(*inp)) <= self.atol
            elif name == "digit_distance_nums":
                exact = exact or actual == _digit_distance(*inp)
            elif name in MBPP_OUTPUT_SET_EQUAL:
                exact = set(actual) == set(expected)
            elif name in MBPP_OUTPUT_NOT_NONE:
                exact = actual == expected if isinstance(actual, bool) else expected == (actual is not None)
        elif self.dataset == "HUMANEVAL" and name == "find_zero":
            if not abs(_polynomial(*inp, actual)) <= self.atol:
                raise OutputMismatch("the polynomial is not zero within %s there" % self.atol)
            return
        if self.atol == 0 and _is_floats(expected):
            self.atol = 1e-6
        if not exact and self.atol != 0:
            if type(actual) != type(expected):
                raise OutputMismatch("expected a %s, got a %s" % (type(expected).__name__, type(actual).__name__))
            if isinstance(expected, (list, tuple)) and len(actual) != len(expected):
                raise OutputMismatch("expected %d items, got %d" % (len(expected), len(actual)))
            if not _allclose(actual, expected, self.atol):
                raise OutputMismatch("not within atol %s" % self.atol)
        elif not exact:
            raise OutputMismatch(None)


# Outputs too large to carry are carried as digests: per output one flag byte (1: EvalPlus would treat it
# as floats; 2: no digest, as it holds a NaN, which equals nothing, or cannot be pickled) and the SHA-256
# of its pickle. An output whose pickle has that digest is the reference's value exactly; any other is
# compared with the reference's output, computed in the run.
DIGEST_RECORD = 33
FLOATS, NO_DIGEST = 1, 2
_sha256, _dumps = hashlib.sha256, pickle.dumps


def _has_nan(value):
    if isinstance(value, float):
        return value != value
    if isinstance(value, complex):
        return value != value
    if isinstance(value, dict):
        return any(_has_nan(k) or _has_nan(v) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(_has_nan(item) for item in value)
    return False


def digest_record(output):
    flags = FLOATS if _is_floats(output) else 0
    try:
        if _has_nan(output):
            raise ValueError("NaN")
        return bytes((flags,)) + _sha256(_dumps(output, protocol=4)).digest()
    except Exception:
        return bytes((flags | NO_DIGEST,)) + bytes(32)


class InputTimedOut(BaseException):
    """Raised in the program when one input used up its CPU time; a BaseException, so that the
    program's own `except Exception` does not swallow it."""


def _input_timed_out(signum, frame):
    raise InputTimedOut()


PARTS = ("base", "plus")


class PreparedInputs:
    """A problem's inputs decoded once (and, for a candidate, the expected outputs), for any number of
    runs."""

    def __init__(self, job):
        spec = job["inputs"]
        self.dataset = spec["dataset"]
        self.entry_point = job["entryPoint"]
        self.atol = spec.get("atol") or 0
        self.error = None
        self.inputs = {}
        self.expected = None
        self.reference = None
        self.mode = spec["mode"]
        self.limits = {part: [us / 1e6 for us in (spec.get("limitsMicros") or {}).get(part, [])] for part in PARTS}
        try:
            for part in PARTS:
                self.inputs[part] = decode_inputs(self.dataset, spec["problemId"], spec[part])
        except Exception as e:
            self.error = "The inputs could not be read: " + exception_line(e)
            return
        self.digests = {}
        if spec.get("reference"):
            self.reference = _compiled(spec["reference"], "<reference>")
            self.digests = {part: base64.b64decode(text) for part, text in (spec.get("digests") or {}).items()}
        if spec.get("expected"):
            try:
                self.expected = ReferenceOutputs(io.BytesIO(base64.b64decode(spec["expected"]))).load()
            except Exception as e:
                self.error = "The reference outputs could not be read: " + exception_line(e)
                return
            if any(len(self.expected[part]) != len(self.inputs[part]) for part in PARTS):
                self.error = "The reference outputs do not match the inputs."
        self.not_none = self.dataset == "MBPP" and self.entry_point in MBPP_OUTPUT_NOT_NONE
        self.total = sum(len(self.inputs.get(part, ())) for part in PARTS)
        self.plan = encode({"event": "plan", "total": self.total, "sources": []}).encode("ascii")


class ReferenceOutputs(pickle.Unpickler):
    """Reads back what a reference run pickled: Python's own value types (and numpy's) only."""

    ALLOWED = {
        "builtins": {"complex", "set", "frozenset", "bytearray", "range", "slice"},
        "numpy": {"dtype", "ndarray"},
        "numpy.core.multiarray": {"scalar", "_reconstruct"},
        "numpy._core.multiarray": {"scalar", "_reconstruct"},
    }

    def find_class(self, module, name):
        if name in self.ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError("an output of type %s.%s cannot be carried" % (module, name))


def describe_input(inp):
    try:
        return trim(", ".join(safe_repr(arg) for arg in inp), MAX_REPR)
    except BaseException:
        return safe_repr(inp)


def run_reference(job, tests, compiled, report):
    """The reference solution on deep copies of every input: its outputs (pickled) and CPU times."""
    scope = {}
    try:
        _exec_compiled(compiled.program, scope)
        function = scope[job["entryPoint"]]
    except BaseException as e:
        return failure(report, "program", e)
    outputs, micros = {}, {}
    for part in PARTS:
        outputs[part], micros[part] = [], []
        for index, inp in enumerate(tests.inputs[part]):
            arguments = copy.deepcopy(inp)
            started = _cpu_time()
            try:
                output = function(*arguments)
            except BaseException as e:
                report(event="failure", stage="reference", part=part, index=index, input=describe_input(inp),
                       message=trim(trimmed_traceback(e), MAX_MESSAGE))
                return
            micros[part].append(int((_cpu_time() - started) * 1e6))
            outputs[part].append(output is not None if tests.not_none else output)
    try:
        size = 0
        for part in PARTS:
            for output in outputs[part]:
                size += len(pickle.dumps(output, protocol=4))
                if size > CARRIED_OUTPUTS_LIMIT:
                    digests = {part: base64.b64encode(b"".join(digest_record(output) for output in outputs[part]))
                               .decode("ascii") for part in PARTS}
                    return report(event="reference", expected="", digests=digests, micros=micros)
        data = base64.b64encode(pickle.dumps(outputs, protocol=4)).decode("ascii")
    except BaseException as e:
        return failure(report, "reference", e)
    report(event="reference", expected=data, micros=micros)


def run_inputs(job, tests, compiled, report):
    """A candidate on every input, base first; a part stops at its first failing input (EvalPlus's fast
    check), and plus runs only when base passed, since the program fails either way. Each part loads
    the program afresh, as EvalPlus runs each in a process of its own."""
    reference = None
    if tests.reference is not None:  # before the program, in a namespace of its own
        reference_scope = {}
        try:
            _exec_compiled(tests.reference, reference_scope)
            reference = reference_scope[job["entryPoint"]]
        except BaseException as e:
            return failure(report, "reference", e)
    real_open = builtins.open
    builtins.open = None  # EvalPlus's guard also takes open() from the program
    try:
        for part in PARTS:
            scope = {}
            try:
                _exec_compiled(compiled.program, scope)
            except BaseException as e:
                return failure(report, "program", e)
            function = scope.get(job["entryPoint"])
            if function is None:
                return failure(report, "program", NameError("name %r is not defined" % job["entryPoint"]))
            if not run_part(part, function, reference, tests, report):
                return
    finally:
        builtins.open = real_open


def run_part(part, function, reference, tests, report):
    comparison = Comparison(tests.dataset, tests.entry_point, tests.atol)
    inputs, limits = tests.inputs[part], tests.limits[part]
    expected = tests.expected[part] if tests.expected is not None else None
    digests = tests.digests.get(part) if expected is None else None
    previous = _signal(signal.SIGPROF, _input_timed_out)
    try:
        for index, inp in enumerate(inputs):
            actual = wanted = None
            # the program may change its arguments; the reference, if asked, must see them as they were
            pristine = copy.deepcopy(inp) if expected is None else None
            try:
                _setitimer(signal.ITIMER_PROF, limits[index] if index < len(limits) else 0)
                try:
                    actual = function(*inp)
                finally:
                    _setitimer(signal.ITIMER_PROF, 0)
                if expected is not None:
                    wanted = expected[index]
                elif digests is not None and comparison.matches_digest(actual, digests, index):
                    continue
                else:
                    wanted = reference(*pristine)
                    wanted = wanted is not None if tests.not_none else wanted
                comparison.check(actual, wanted, inp)
            except InputTimedOut:
                report(event="input", part=part, index=index, passed=False, timedOut=True, input=describe_input(inp),
                       message="did not finish within %s s of CPU time" % _seconds(limits[index]))
                return False
            except BaseException as e:
                if isinstance(e, OutputMismatch):
                    message = "expected: %s\nactual:   %s" % (safe_repr(wanted), safe_repr(actual))
                    if e.args and e.args[0]:
                        message += "\n(" + e.args[0] + ")"
                else:
                    message = trimmed_traceback(e)
                report(event="input", part=part, index=index, passed=False, input=describe_input(inp),
                       message=trim(message, MAX_MESSAGE))
                return False
        report(event="part", part=part, passed=len(inputs), total=len(inputs))
        return True
    finally:
        _signal(signal.SIGPROF, previous)


def _seconds(value):
    return ("%.3f" % value).rstrip("0").rstrip(".")


def failure(report, stage, e):
    report(event="failure", stage=stage, message=trim(trimmed_traceback(e), MAX_MESSAGE))


class Compiled:
    """A job's program (and MBPP setup) compiled: per source, the code or the exception compiling it
    raised, and the warnings the compiler gave. The fork server compiles before it forks, where the
    compiler's memory is warm (a fresh child's first compile copies pages; docs/benchmarks.md); the
    program still runs only in the child. Compiling runs none of it (docs/sandbox.md)."""

    def __init__(self, job):
        self.setup = _compiled(job["setup"], "<setup>") if job.get("setup") and not job.get("checkProgram") else None
        self.program = _compiled(job["program"], "<program>")


def _compiled(source, filename):
    with warnings.catch_warnings(record=True) as warned:
        try:
            code = compile(source, filename, "exec")
        except BaseException as e:  # SyntaxError, ValueError (NUL), RecursionError, MemoryError
            code = e
    return code, tuple(warned)


def _exec_compiled(compiled, scope):
    code, warned = compiled
    for w in warned:  # on the program's stderr, as the compiler would have written them there
        warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    if isinstance(code, BaseException):
        raise code
    exec(code, scope)


def run(job, tests, compiled, report, report_encoded):
    report_encoded(tests.plan)
    if tests.error:
        report(event="failure", stage="tests", message=tests.error)
        return
    global _SOURCES
    _SOURCES = dict(getattr(tests, "sources_by_file", {}))
    _SOURCES["<program>"] = job["program"]
    if isinstance(tests, PreparedInputs):
        if tests.mode == "REFERENCE":
            return run_reference(job, tests, compiled, report)
        return run_inputs(job, tests, compiled, report)
    # human-eval runs everything in one fresh dict, so `if __name__ == "__main__":` blocks do not run.
    scope = {}
    if compiled.setup is not None:
        _SOURCES["<setup>"] = job["setup"]
        try:
            _exec_compiled(compiled.setup, scope)
        except BaseException as e:
            return failure(report, "setup", e)
    try:
        _exec_compiled(compiled.program, scope)
    except BaseException as e:
        return failure(report, "program", e)
    if tests.module is not None:
        try:
            exec(tests.module, scope)
        except BaseException as e:
            return failure(report, "tests", e)
    tester = Tester(report, report_encoded)
    for index, (code, error) in enumerate(tests.functions):
        if error is not None:  # a test that does not compile fails on its own
            with tester(index):
                raise error
            continue
        if tests.candidate is None:
            arguments = (tester,)
        elif tests.candidate in scope:
            arguments = (scope[tests.candidate], tester)
        else:
            return failure(report, "program", NameError("name %r is not defined" % tests.candidate))
        try:
            _function_type(code, scope)(*arguments)
        except BaseException as e:  # a statement of check() that is not a test (setup) failed
            return failure(report, "setup", e)


_SOURCES = {}
_function_type = type(run)


def start(nonce, job, tests, compiled, limits, report_fd):
    """Runs the job with its prepared tests, compiled program and planned limits, reports going to
    report_fd; never returns."""
    report, report_encoded = reporter(report_fd, nonce)
    del nonce
    become_subreaper()
    apply_limits(limits)
    guard_like_human_eval()
    try:
        run(job, tests, compiled, report, report_encoded)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
    kill_descendants()
    report(event="done", cpuMicros=int(_cpu_time() * 1e6))
    # Skip interpreter shutdown: atexit handlers and threads of the program must not run after.
    os._exit(0)


def import_numpy_if_used(job):
    """human-eval's and EvalPlus's harnesses have numpy imported before their guard, so a program or
    test may import it under the guard. The fork server imports it once for all runs; a fresh process
    per run pays for it only when the job names it."""
    if any("numpy" in (job.get(field) or "") for field in ("program", "setup", "checkProgram")) \
            or any("numpy" in test for test in job.get("asserts") or ()) or job.get("inputs"):
        os.environ.update({"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"})
        try:
            import numpy  # noqa: F401
        except ImportError:
            pass


def main():
    nonce = sys.stdin.readline().strip()
    job = json.loads(sys.stdin.read())
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    report_fd = os.dup(1)  # not inheritable: child processes of the program do not get it
    os.dup2(2, 1)
    import_numpy_if_used(job)
    start(nonce, job, prepare(job), Compiled(job), planned_limits(job.get("limits", {})), report_fd)
