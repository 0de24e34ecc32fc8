# Trusted test runner of the evalfleet scoring service. Started as `python3 -I -c <this file + main()>`
# (unsandboxed mode) or loaded into the fork server (zygote.py), which calls start() in each child.
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
import ctypes
import json
import linecache
import operator
import os
import resource
import signal
import sys
import time
import traceback
import warnings

# Bound now: the program shares this interpreter and could replace os.write or os.kill later.
_write, _kill, _waitpid, _listdir, _getpid = os.write, os.kill, os.waitpid, os.listdir, os.getpid
_sleep = time.sleep
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
_JSON_SAFE = frozenset(range(0x20, 0x7F)) - {ord('"'), ord("\\")}


def encode(value):
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if _isinstance(value, _int):
        return _int.__repr__(value)
    if _isinstance(value, _str):
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
    # The runner is compiled from -c, so its frames are "<string>" and always outermost.
    while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
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


def failure(report, stage, e):
    report(event="failure", stage=stage, message=trim(trimmed_traceback(e), MAX_MESSAGE))


class Compiled:
    """A job's program (and MBPP setup) compiled: per source, the code or the exception compiling it
    raised, and the warnings the compiler gave. The fork server compiles before it forks, where the
    compiler's memory is warm (in a fresh child the first compile copied about 70 pages, 0.6 ms); the
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
    _SOURCES = dict(tests.sources_by_file)
    _SOURCES["<program>"] = job["program"]
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
    report(event="done")
    # Skip interpreter shutdown: atexit handlers and threads of the program must not run after.
    os._exit(0)


def main():
    nonce = sys.stdin.readline().strip()
    job = json.loads(sys.stdin.read())
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    report_fd = os.dup(1)  # not inheritable: child processes of the program do not get it
    os.dup2(2, 1)
    start(nonce, job, prepare(job), Compiled(job), planned_limits(job.get("limits", {})), report_fd)
