# Fork server of the evalfleet scoring service (see ForkServer.java). Appended to runner.py and
# started once as `python3 -I -B -c <runner.py + zygote.py>` inside a long-lived bubblewrap
# sandbox that keeps CAP_SYS_ADMIN within its own user namespace (and nothing outside it).
#
# Protocol, one run at a time: the service writes one JSON line
#   {"nonce", "job", "timeoutMillis", "outputLimit", "tmpfs": {"size", "inodes"}}
# and reads back one JSON line
#   {"report": base64, "output": base64, "outputBytes", "timedOut", "exitCode", "millis"}.
#
# Startup: the interpreter bubblewrap started unshares a pid namespace and forks the zygote Z into it
# as its pid 1, then only waits for it. Z's pid namespace is owned by the sandbox's (nested) user
# namespace, so Z may enter a run's pid namespace and come back to its own (setns).
# Per run:  Z --clone(CLONE_VM | new pid namespace)--> I: pid 1 of the run's pid namespace, shares Z's
# memory (no copy of the interpreter), blocks every signal and only waits in pause() until Z kills
# it. Z enters I's pid namespace, forks Q (pid 2 there; the one copy of the warm interpreter per
# run) and returns to its own. Q unshares mount and ipc namespaces, mounts a fresh /proc, a private
# tmpfs on /work and /dev/shm, drops every capability, sets no_new_privs and rlimits, and runs the
# program through runner.start(). When Q ends, or at the deadline, Z kills I: the kernel then kills
# everything left in the run's pid namespace and the mount namespace (with its tmpfs) goes away with
# its last process: nothing can outlive the verdict, however it forks.
# Forks of the warm interpreter are the main cost of a run (page tables, copy-on-write faults,
# teardown): hence one fork per run, and gc.freeze(), which keeps the collector from touching, and
# so copying, the zygote's objects.
import base64
import gc
import posix
import select

_fork, _exit, _pipe, _close, _read, _dup2, _waitpid = os.fork, os._exit, os.pipe, os.close, os.read, os.dup2, os.waitpid
_libc = ctypes.CDLL(None, use_errno=True)

CLONE_VM, CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID = 0x00000100, 0x00020000, 0x08000000, 0x20000000
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


def program(request, report_w, output_w, zygote_ends):
    """Q, pid 2 of the run's pid namespace: sets up the run's mounts, then becomes the untrusted side.
    Never returns."""
    try:
        for fd in zygote_ends:
            _close(fd)
        # Not dumpable (the program cannot ptrace or read the memory of the run's processes).
        _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        check(_libc.unshare(CLONE_NEWNS | CLONE_NEWIPC), "unshare mount, ipc")
        check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make mounts private")
        check(_libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")
        tmpfs = request["tmpfs"]
        options = "size=%d,nr_inodes=%d,mode=0755,uid=%d,gid=%d" % (
            tmpfs["size"], tmpfs["inodes"], os.getuid(), os.getgid())
        check(_libc.mount(b"tmpfs", WORK, b"tmpfs", MS_NOSUID | MS_NODEV, options.encode()), "mount /work")
        check(_libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV,
                          b"size=8m,nr_inodes=256,mode=1777"), "mount /dev/shm")
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
        # Q's parent (the zygote) is outside the run's pid namespace, so getppid() would say 0, and
        # kill(getppid(), sig) would hit the program's own process group. Say 1, the run's init (which
        # ignores signals from inside its namespace), as when the run's pid 1 was Q's parent.
        posix.getppid = os.getppid = _init_pid
    except BaseException:
        _exit(125)
    start(request["nonce"], request["job"], keep)


def _init_pid():
    return 1


# I, the run's init, runs no Python: clone() starts it on its own small stack in pause(), sharing the
# zygote's memory (CLONE_VM: no page tables to copy), with every signal blocked, until the zygote
# kills it. Only one run at a time, so one stack; I is always reaped before the next run.
SIGCHLD = 17
SYS_PAUSE = {"x86_64": 34}.get(os.uname().machine)
_INIT_STACK = ctypes.create_string_buffer(1 << 16)
_INIT_STACK_TOP = ctypes.c_void_p((ctypes.addressof(_INIT_STACK) + (1 << 16) - 256) & ~0xF)
if SYS_PAUSE is not None:
    _INIT_FN, _INIT_ARG = ctypes.cast(_libc.syscall, ctypes.c_void_p), ctypes.c_void_p(SYS_PAUSE)
else:
    _INIT_FN, _INIT_ARG = ctypes.cast(_libc.pause, ctypes.c_void_p), ctypes.c_void_p(0)
_clone = _libc.clone
_clone.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
_clone.restype = ctypes.c_int
_ALL_SIGNALS = signal.valid_signals()


def clone_init():
    """I: pid 1 of a new pid namespace, owned by the sandbox's user namespace."""
    previous = signal.pthread_sigmask(signal.SIG_SETMASK, _ALL_SIGNALS)
    try:
        pid = _clone(_INIT_FN, _INIT_STACK_TOP, CLONE_VM | CLONE_NEWPID | SIGCHLD, _INIT_ARG)
        errno = ctypes.get_errno()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    if pid <= 0:
        raise OSError(errno, "clone: " + os.strerror(errno))
    return pid


def fork_program(request, report_w, output_w, zygote_ends, init):
    """Forks Q into I's pid namespace; the zygote returns to its own pid namespace at once."""
    pidfd = os.pidfd_open(init)
    # The kernel lets a process enter another's namespaces only if it may ptrace it, and I shares
    # the zygote's (not dumpable) memory. Dumpable for these microseconds only: no process of any
    # run exists now (the last run's namespace died with its I) and nothing else can see the zygote.
    _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    try:
        check(_libc.setns(pidfd, CLONE_NEWPID), "enter the run's pid namespace")
    finally:
        _libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        _close(pidfd)
    try:
        child = _fork()
        if child == 0:
            program(request, report_w, output_w, zygote_ends)
    finally:
        if _libc.setns(_OWN_PID_NS, CLONE_NEWPID) != 0:
            # Could not return: later runs would start in this namespace. Stop; the service restarts us.
            _exit(70)
    return child


def collect(fds, limits, deadline, program_pidfd, init):
    """Reads both pipes to EOF, keeping at most limits[fd] bytes, until the program has exited. Kills
    the run (I) when the program exits, so nothing it left can hold the pipes, or at the deadline."""
    kept = {fd: bytearray() for fd in fds}
    total = {fd: 0 for fd in fds}
    open_fds = list(fds)
    program_running = True
    timed_out = False
    while open_fds or program_running:
        wait = deadline - time.monotonic()
        if wait <= 0 and not timed_out:
            timed_out = True
            _kill(init, signal.SIGKILL)
        watched = open_fds + [program_pidfd] if program_running else open_fds
        ready, _, _ = select.select(watched, [], [], max(wait, 0) if not timed_out else 5)
        if not ready and timed_out:
            break  # killed, yet a pipe stays open or the program is not gone: give up
        for fd in ready:
            if fd == program_pidfd:
                program_running = False
                _kill(init, signal.SIGKILL)
                continue
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
    init = child = pidfd = None
    try:
        try:
            init = clone_init()
            child = fork_program(request, report_w, output_w, (report_r, output_r), init)
            pidfd = os.pidfd_open(child)
        except OSError as e:
            return {"error": "the run's namespaces could not be set up: %s" % e}
        finally:
            _close(report_w)
            _close(output_w)
        limit = request["outputLimit"]
        kept, total, timed_out = collect([report_r, output_r], {report_r: limit, output_r: limit}, deadline,
                                         pidfd, init)
        _, status = _waitpid(child, 0)
        child = None
        millis = int((time.monotonic() - started) * 1000)
    finally:
        if child is not None:
            _kill(child, signal.SIGKILL)
            _waitpid(child, 0)
        if init is not None:
            _kill(init, signal.SIGKILL)
            _waitpid(init, 0)
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


def become_pid_one():
    """Leaves this process waiting and continues as pid 1 of a new pid namespace owned by the
    sandbox's user namespace: in bubblewrap's own pid namespace (owned by the outer user namespace)
    the zygote could enter a run's pid namespace but not come back."""
    check(_libc.unshare(CLONE_NEWPID), "unshare pid")
    child = _fork()
    if child != 0:
        null = os.open("/dev/null", os.O_RDWR)
        for fd in (0, 1):
            _dup2(null, fd)  # only the zygote holds the service's pipes
        _, status = _waitpid(child, 0)
        _exit(os.waitstatus_to_exitcode(status) & 0xFF)


def serve():
    global _OWN_PID_NS
    become_pid_one()
    _OWN_PID_NS = os.open("/proc/self/ns/pid", os.O_RDONLY)
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
