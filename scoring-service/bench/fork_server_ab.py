#!/usr/bin/env python3
"""A/B of two versions of the fork server (runner.py + zygote.py), without the JVM: the sandbox's own
cost per run, measured in the same minutes.

Usage: python3 bench/fork_server_ab.py HumanEval.jsonl.gz REF_A REF_B [pairs]
  REF_A, REF_B: git revisions (e.g. 7de69d8 HEAD) or "worktree" for the files as they are now.

Each version runs in a bubblewrap sandbox built as ForkServerPool builds it (same namespaces, same
read-only view, CAP_SYS_ADMIN inside only; as root, through setpriv to uid 65534, with an interpreter
under /root staged on /mnt first, as the service does). Both get the 164 HumanEval reference solutions one after
another (one fork server, so the time per run is the CPU a run costs), in alternating rounds, after
one warm-up round each; prints the median time per run of each and the median B/A ratio of the pairs.
"""
import base64
import gzip
import json
import os
import statistics
import subprocess
import sys
import time

SANDBOX = "scoring-service/src/main/resources/dev/evalfleet/scoring/sandbox/"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def source(ref, name):
    if ref == "worktree":
        with open(os.path.join(ROOT, SANDBOX, name)) as f:
            return f.read()
    return subprocess.check_output(["git", "-C", ROOT, "show", "%s:%s%s" % (ref, SANDBOX, name)], text=True)


def start(ref):
    zygote = source(ref, "zygote.py")
    runner = source(ref, "runner.py")
    if "from runner import" in zygote:  # loaded as modules, as PythonRunner.forkServerLoader does
        encode = lambda text: base64.b64encode(text.encode()).decode()
        program = ("import base64, sys, types\n"
                   "def load(name, source):\n"
                   "    module = sys.modules[name] = types.ModuleType(name)\n"
                   "    exec(compile(base64.b64decode(source).decode(), '<' + name + '>', 'exec'), module.__dict__)\n"
                   "load('runner', '%s')\nload('zygote', '%s')\n" % (encode(runner), encode(zygote)))
    else:  # older versions: appended to the runner
        program = runner + "\n" + zygote
    executable = os.path.realpath(sys.executable)
    prefix = os.path.realpath(sys.base_prefix)
    command = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
               "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", "/work",
               "--setenv", "LANG", "C.UTF-8", "--setenv", "PYTHONDONTWRITEBYTECODE", "1", "--uid", "65534", "--gid",
               "65534", "--hostname", "sandbox", "--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            command += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            command += ["--ro-bind", top, top]
    command += ["--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    root = os.getuid() == 0
    stage = root and not prefix.startswith("/usr")
    if not prefix.startswith("/usr"):
        command += ["--ro-bind", "/mnt/python" if stage else prefix, prefix]
    command += ["--proc", "/proc", "--dev", "/dev", "--remount-ro", "/dev", "--dir", "/work", "--symlink", "/work",
                "/tmp", "--remount-ro", "/", "--cap-add", "CAP_SYS_ADMIN", "--chdir", "/", executable, "-I", "-B"]
    # The zygote's first lines say how it is started.
    command += (["-S"] if "-S -c" in zygote[:400] else []) + ["-c", program]
    if root:
        command = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", "--bounding-set", "-all",
                   "--no-new-privs"] + command
    if stage:
        command = ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                   'mount -t tmpfs -o size=64k,mode=755 evalfleet-stage /mnt && mkdir /mnt/python && '
                   'mount --bind "$1" /mnt/python && shift && exec "$@"', "sh", prefix] + command
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={})


def call(server, request):
    server.stdin.write((json.dumps(request) + "\n").encode())
    server.stdin.flush()
    return json.loads(server.stdout.readline())


def main():
    dataset, refs = sys.argv[1], sys.argv[2:4]
    pairs = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    with gzip.open(dataset, "rt") as f:
        problems = [json.loads(line) for line in f if line.strip()]
    requests = [{"nonce": "0123456789abcdef", "timeoutMillis": 3000, "outputLimit": 1 << 20,
                 "tmpfs": {"size": 64 << 20, "inodes": 4096},
                 "job": {"program": p["prompt"] + p["canonical_solution"], "setup": None, "checkProgram": p["test"],
                         "asserts": [], "entryPoint": p["entry_point"],
                         "limits": {"cpuSeconds": 4, "addressSpaceBytes": 1 << 30, "fileSizeBytes": 16 << 20,
                                    "openFiles": 64, "processes": 64}}} for p in problems]
    servers = [start(ref) for ref in refs]

    def round_of(server):
        started = time.perf_counter()
        for request in requests:
            answer = call(server, request)
            report = base64.b64decode(answer.get("report", "")).decode()
            assert '"event":"done"' in report and '"passed":false' not in report, answer
        return (time.perf_counter() - started) / len(requests) * 1000

    for server in servers:
        round_of(server)
    times = ([], [])
    for i in range(pairs):
        for k in ((0, 1) if i % 2 == 0 else (1, 0)):
            times[k].append(round_of(servers[k]))
    for k in (0, 1):
        print("%-10s median %.2f ms per run (rounds %s)" % (refs[k], statistics.median(times[k]),
                                                          " ".join("%.2f" % t for t in times[k])))
    ratios = [b / a for a, b in zip(*times)]
    print("B/A: median of %d pairs %.2f (%s)" % (pairs, statistics.median(ratios), " ".join("%.2f" % r for r in ratios)))
    for server in servers:
        server.stdin.close()
        server.wait()


if __name__ == "__main__":
    main()
