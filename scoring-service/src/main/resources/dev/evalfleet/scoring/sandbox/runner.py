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

# Bound now: the program shares this interpreter and could replace os.write or os.kill later.
_write, _kill, _waitpid, _listdir, _getpid = os.write, os.kill, os.waitpid, os.listdir, os.getpid
_sleep = time.sleep
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
_isinstance, _str, _int, _bool, _list, _dict, _ord, _hex = isinstance, str, int, bool, list, dict, ord, hex
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

    def report(**record):
        data = memoryview(prefix + encode(record).encode("ascii") + b"\n")
        while data:
            data = data[_write(fd, data):]

    return report


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


def apply_limits(limits):
    def lower(which, soft, hard=None):
        if not soft or soft <= 0:
            return
        hard = soft if hard is None else hard
        _, current_hard = resource.getrlimit(which)
        if current_hard != resource.RLIM_INFINITY:
            soft, hard = min(soft, current_hard), min(hard, current_hard)
        # The hard limit is lowered too, so the program cannot raise its own limits again.
        resource.setrlimit(which, (soft, hard))

    cpu = limits.get("cpuSeconds")
    # SIGXCPU at the soft limit, SIGKILL one second later if the program ignores it.
    lower(resource.RLIMIT_CPU, cpu, cpu + 1 if cpu else None)
    lower(resource.RLIMIT_AS, limits.get("addressSpaceBytes"))
    lower(resource.RLIMIT_FSIZE, limits.get("fileSizeBytes"))
    lower(resource.RLIMIT_NOFILE, limits.get("openFiles"))
    # Counts every process and thread of the sandbox's user namespace (only sent when sandboxed:
    # unsandboxed it would count all processes of the service's user).
    lower(resource.RLIMIT_NPROC, limits.get("processes"))


# What openai/human-eval's reliability_guard() disables before it runs a program, disabled the same
# way (set to None, so calling them raises TypeError) for verdict parity: a program that calls
# os.kill or subprocess.Popen fails under human-eval and must fail here too, even though the sandbox
# would make the call harmless. Not a security measure (posix.kill still works); the sandbox is.
GUARDED_OS = ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir", "setuid", "fork",
              "forkpty", "killpg", "rename", "renames", "truncate", "replace", "unlink", "fchmod", "fchown",
              "chmod", "chown", "chroot", "lchflags", "lchmod", "lchown", "getcwd", "chdir")
GUARDED_MODULES = ("ipdb", "joblib", "resource", "psutil", "tkinter")


def guard_like_human_eval():
    """Called after the runner has bound all it needs (_kill, _waitpid, resource, ...)."""
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


def evaluate(node, scope, filename):
    return eval(compile(ast.Expression(body=node), filename, "eval"), scope)


def run_assert(stmt, scope, filename):
    """Runs `assert ...` evaluating each side once, so expected and actual can be reported."""
    test = stmt.test
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left = evaluate(test.left, scope, filename)
        right = evaluate(test.comparators[0], scope, filename)
        if COMPARISONS[type(test.ops[0])](left, right):
            return
        if isinstance(test.ops[0], ast.Eq):
            details = "expected: %s\nactual:   %s" % (safe_repr(right), safe_repr(left))
        else:
            details = "left:  %s\nright: %s" % (safe_repr(left), safe_repr(right))
    elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        value = evaluate(test.operand, scope, filename)
        if not value:
            return
        details = "expected a false value, got: %s" % safe_repr(value)
    else:
        value = evaluate(test, scope, filename)
        if value:
            return
        details = "expected a true value, got: %s" % safe_repr(value)
    message = evaluate(stmt.msg, scope, filename) if stmt.msg is not None else None
    raise ComparisonFailed(details, message)


def contains_assert(stmt):
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    return any(isinstance(node, ast.Assert) for node in ast.walk(stmt))


class Test:
    def __init__(self, source, stmt, filename):
        self.source = source
        self.stmt = stmt
        self.filename = filename

    def run(self, scope):
        if isinstance(self.stmt, ast.Assert):
            run_assert(self.stmt, scope, self.filename)
        else:
            exec(compile(ast.Module(body=[self.stmt], type_ignores=[]), self.filename, "exec"), scope)


class Plan:
    """What to execute, worked out from the tests before any untrusted code runs."""

    def __init__(self):
        self.steps = []  # ("setup", stmt, filename) or ("test", Test)
        self.tests = []
        self.check_module = None
        self.candidate_param = None
        self.error = None

    def add_test(self, test):
        self.steps.append(("test", test))
        self.tests.append(test)


def human_eval_plan(job):
    plan = Plan()
    source = job["checkProgram"]
    entry_point = job["entryPoint"]
    remember_source("<tests>", source)
    try:
        module = ast.parse(source, "<tests>")
    except SyntaxError as e:
        plan.error = "The tests do not compile:\n" + exception_line(e)
        return plan
    plan.check_module = module
    check = next((s for s in module.body if isinstance(s, ast.FunctionDef) and s.name == "check"), None)
    if check is None or len(check.args.args) != 1:
        # Not a shape we can split: run human-eval's own call as the single test.
        call = ast.parse("check(%s)" % entry_point, "<check>").body[0]
        remember_source("<check>", "check(%s)" % entry_point)
        plan.add_test(Test("check(%s)" % entry_point, call, "<check>"))
        return plan
    plan.candidate_param = check.args.args[0].arg
    for stmt in check.body:
        if contains_assert(stmt):
            plan.add_test(Test(ast.get_source_segment(source, stmt) or ast.unparse(stmt), stmt, "<tests>"))
        else:
            plan.steps.append(("setup", stmt, "<tests>"))
    return plan


def asserts_plan(job):
    plan = Plan()
    for index, source in enumerate(job["asserts"]):
        filename = "<test %d>" % (index + 1)
        remember_source(filename, source)
        try:
            module = ast.parse(source, filename)
            stmt = module.body[0] if len(module.body) == 1 else module
        except SyntaxError as e:
            stmt = e
        plan.add_test(Test(source, stmt, filename))
    return plan


def failure(report, stage, e):
    report(event="failure", stage=stage, message=trim(trimmed_traceback(e), MAX_MESSAGE))


def execute(source, filename, scope):
    remember_source(filename, source)
    exec(compile(source, filename, "exec"), scope)


def run_test(report, index, test, scope):
    report(event="start", index=index)
    try:
        if isinstance(test.stmt, SyntaxError):
            raise test.stmt
        if isinstance(test.stmt, ast.Module):
            exec(compile(test.stmt, test.filename, "exec"), scope)
        else:
            test.run(scope)
    except ComparisonFailed as e:
        text = e.details
        if e.has_message:
            text = trim("AssertionError: %s" % safe_str(e.args[0]), MAX_REPR) + "\n" + text
        report(event="test", index=index, passed=False, message=trim(text, MAX_MESSAGE))
    except BaseException as e:  # SystemExit and KeyboardInterrupt inside a test are failures too
        report(event="test", index=index, passed=False, message=trim(trimmed_traceback(e), MAX_MESSAGE))
    else:
        report(event="test", index=index, passed=True)


def run(job, report):
    human_eval = bool(job.get("checkProgram"))
    plan = human_eval_plan(job) if human_eval else asserts_plan(job)
    report(event="plan", total=len(plan.tests), sources=[t.source for t in plan.tests])
    if plan.error:
        report(event="failure", stage="tests", message=plan.error)
        return
    # human-eval runs everything in one fresh dict, so `if __name__ == "__main__":` blocks do not run.
    scope = {}
    if not human_eval and job.get("setup"):
        try:
            execute(job["setup"], "<setup>", scope)
        except BaseException as e:
            return failure(report, "setup", e)
    try:
        execute(job["program"], "<program>", scope)
    except BaseException as e:
        return failure(report, "program", e)
    if human_eval:
        try:
            exec(compile(plan.check_module, "<tests>", "exec"), scope)
        except BaseException as e:
            return failure(report, "tests", e)
        if plan.candidate_param is not None:
            entry_point = job["entryPoint"]
            if entry_point not in scope:
                return failure(report, "program", NameError("name %r is not defined" % entry_point))
            # check()'s body runs in its own namespace, as it would in the function's frame.
            scope = dict(scope)
            scope[plan.candidate_param] = scope[entry_point]
    index = 0
    for step in plan.steps:
        if step[0] == "test":
            run_test(report, index, step[1], scope)
            index += 1
            continue
        try:
            exec(compile(ast.Module(body=[step[1]], type_ignores=[]), step[2], "exec"), scope)
        except BaseException as e:
            return failure(report, "setup", e)


def start(nonce, job, report_fd):
    """Runs the job with reports going to report_fd; never returns."""
    report = reporter(report_fd, nonce)
    del nonce
    become_subreaper()
    apply_limits(job.get("limits", {}))
    guard_like_human_eval()
    try:
        run(job, report)
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
    start(nonce, job, report_fd)
