# Fork server of the evalfleet scoring service (see ForkServer.java). Appended to runner.py and
# started once as `python3 -I -B -c <runner.py + zygote.py>` inside a long-lived bubblewrap
# sandbox that keeps CAP_SYS_ADMIN within its own user namespace (and nothing outside it).
#
# Protocol, one run at a time: the service writes one JSON line
#   {"nonce", "job", "timeoutMillis", "outputLimit", "tmpfs": {"size", "inodes"}}
# and reads back one JSON line
#   {"report": base64, "output": base64, "outputBytes", "timedOut", "exitCode", "millis"}.
#
# Per run:  zygote --clone(new pid, mount, ipc namespaces)--> P: pid 1 of the run's pid namespace,
# mounts a fresh /proc and a private tmpfs on /work --fork--> Q: drops every capability, sets
# no_new_privs and rlimits, and runs the program through runner.start(). P is the zygote's child (a
# child subreaper besides). When Q ends, or at the deadline when the zygote kills P, the kernel
# kills everything left in the run's pid namespace and the mount namespace (with its tmpfs) goes
# away: nothing can outlive the verdict, however it forks.
# Forks of the warm interpreter are the main cost of a run (page tables, copy-on-write faults):
# hence a raw clone() straight into the namespaces (one fork fewer than fork + unshare + fork), and
# gc.freeze(), which keeps the collector from touching, and so copying, the zygote's objects.
import base64
import gc
import select

_fork, _exit, _pipe, _close, _read, _dup2, _waitpid = os.fork, os._exit, os.pipe, os.close, os.read, os.dup2, os.waitpid
_libc = ctypes.CDLL(None, use_errno=True)

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID = 0x00020000, 0x08000000, 0x20000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 4, 24, 38, 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
LINUX_CAPABILITY_VERSION_3 = 0x20080522
WORK = b"/work"
# Modules HumanEval-style programs use; imported once here so a run does not pay for them.
WARM = ("math", "re", "string", "collections", "itertools", "functools", "hashlib", "heapq", "bisect",
        "random", "statistics", "typing", "fractions", "decimal", "copy", "datetime", "operator",
        "numbers", "cmath", "array", "textwrap", "unicodedata", "struct", "dataclasses", "enum",
        # what runner.guard_like_human_eval() imports in every run
        "faulthandler", "shutil", "subprocess")


def check(result, what):
    if result != 0:
        raise OSError(ctypes.get_errno(), what + ": " + os.strerror(ctypes.get_errno()))


class CapabilityHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


def drop_capabilities():
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    for cap in range(64):
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)  # EINVAL past the last capability
    data = (ctypes.c_uint32 * 6)()
    check(_libc.capset(ctypes.byref(CapabilityHeader(LINUX_CAPABILITY_VERSION_3, 0)), data), "capset")
    check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
    if open("/proc/self/status").read().split("CapEff:")[1].split()[0].strip("0"):
        raise OSError("capabilities are still effective")


def program(request, report_w, output_w):
    """Q: the untrusted side. Never returns."""
    try:
        os.setsid()
        _dup2(output_w, 1)
        _dup2(output_w, 2)
        null = os.open("/dev/null", os.O_RDONLY)
        _dup2(null, 0)
        # Only stdio and the report channel stay open: not the service's pipes to the zygote.
        keep = os.dup(report_w)
        os.closerange(3, keep)
        os.closerange(keep + 1, 65536)
        os.chdir(WORK)
        drop_capabilities()
    except BaseException:
        _exit(125)
    start(request["nonce"], request["job"], keep)


def pid_one(request, report_w, output_w):
    """P: init of the run's pid namespace. Trusted: not dumpable, so the program cannot ptrace it."""
    code = 126
    try:
        _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        check(_libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")
        tmpfs = request["tmpfs"]
        options = "size=%d,nr_inodes=%d,mode=0755,uid=%d,gid=%d" % (
            tmpfs["size"], tmpfs["inodes"], os.getuid(), os.getgid())
        check(_libc.mount(b"tmpfs", WORK, b"tmpfs", MS_NOSUID | MS_NODEV, options.encode()), "mount /work")
        check(_libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV,
                          b"size=8m,nr_inodes=256,mode=1777"), "mount /dev/shm")
        child = _fork()
        if child == 0:
            program(request, report_w, output_w)
        _close(report_w)
        _close(output_w)
        while True:
            pid, status = _waitpid(-1, 0)  # as init, reap every orphan of the run
            if pid == child:
                code = os.waitstatus_to_exitcode(status)
                code = 128 - code if code < 0 else code
                break
    except BaseException:
        pass
    # Leaving kills every other process of the namespace.
    _exit(code)


# clone's number; with a null stack and no tid pointers the argument order does not matter. An
# unknown machine stops the zygote, so the service fails closed.
SYS_CLONE = {"x86_64": 56, "aarch64": 220}[os.uname().machine]
SIGCHLD = 17


def clone_pid_one(request, report_w, output_w, zygote_ends):
    """Clones P straight into new pid, mount and ipc namespaces: one fork of the warm interpreter
    fewer than fork + unshare + fork. The child continues on a copy of this stack, as after fork."""
    ctypes.pythonapi.PyOS_BeforeFork()
    try:
        child = _libc.syscall(SYS_CLONE, CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWPID | SIGCHLD, 0, 0, 0, 0)
    except BaseException:
        ctypes.pythonapi.PyOS_AfterFork_Parent()
        raise
    if child != 0:
        ctypes.pythonapi.PyOS_AfterFork_Parent()
    if child == 0:
        try:
            # What os.fork() does in the child: the interpreter's locks and thread state, at-fork hooks.
            ctypes.pythonapi.PyOS_AfterFork_Child()
            for fd in zygote_ends:
                _close(fd)
            check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make mounts private")
        except BaseException:
            _exit(126)
        pid_one(request, report_w, output_w)
    if child < 0:
        raise OSError(ctypes.get_errno(), "clone: " + os.strerror(ctypes.get_errno()))
    return child


def collect(fds, limits, deadline, pid):
    """Reads both pipes to EOF, keeping at most limits[fd] bytes; kills P at the deadline."""
    kept = {fd: bytearray() for fd in fds}
    total = {fd: 0 for fd in fds}
    open_fds = list(fds)
    timed_out = False
    while open_fds:
        wait = deadline - time.monotonic()
        if wait <= 0 and not timed_out:
            timed_out = True
            _kill(pid, signal.SIGKILL)
        ready, _, _ = select.select(open_fds, [], [], max(wait, 0) if not timed_out else 5)
        if not ready and timed_out:
            break  # killed, yet a pipe stays open: nothing in the namespace can hold it, give up
        for fd in ready:
            data = _read(fd, 65536)
            if not data:
                open_fds.remove(fd)
                continue
            room = limits[fd] - len(kept[fd])
            if room > 0:
                kept[fd] += data[:room]
            total[fd] += len(data)
    return kept, total, timed_out


def run_one(request):
    started = time.monotonic()
    deadline = started + request["timeoutMillis"] / 1000.0
    report_r, report_w = _pipe()
    output_r, output_w = _pipe()
    try:
        pid = clone_pid_one(request, report_w, output_w, (report_r, output_r))
    except OSError as e:
        for fd in (report_r, report_w, output_r, output_w):
            _close(fd)
        return {"error": "the run's namespaces could not be set up: %s" % e}
    _close(report_w)
    _close(output_w)
    limit = request["outputLimit"]
    kept, total, timed_out = collect([report_r, output_r], {report_r: limit, output_r: limit}, deadline, pid)
    if timed_out:
        _kill(pid, signal.SIGKILL)
    _, status = _waitpid(pid, 0)
    millis = int((time.monotonic() - started) * 1000)
    _close(report_r)
    _close(output_r)
    code = os.waitstatus_to_exitcode(status)
    return {
        "report": base64.b64encode(bytes(kept[report_r])).decode("ascii"),
        "output": base64.b64encode(bytes(kept[output_r])).decode("ascii"),
        "outputBytes": total[output_r],
        "timedOut": timed_out,
        "exitCode": 128 - code if code < 0 else code,
        "millis": millis,
    }


def serve():
    # Private copies of the service's pipes; the program's processes close every descriptor but theirs.
    requests = os.fdopen(os.dup(0), "rb", buffering=0)
    answers = os.dup(1)
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1):
        _dup2(null, fd)
    _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    for name in WARM:
        try:
            __import__(name)
        except ImportError:
            pass
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
