#!/usr/bin/env python3
"""Chaos run: one evaluation job while workers, the broker, the coordinator and the database fail.

Starts the coordinator, the scoring service, four workers and a stand-in model server (our
model-simulator, which lags and fails a share of its requests), runs a job undisturbed for a baseline,
then the same job again while it
  - kills a random worker with SIGKILL every 10 s and starts a new one,
  - restarts RabbitMQ once,
  - kills and restarts the coordinator once,
  - stops PostgreSQL for a while once.
Then it counts, in the names Jepsen's RabbitMQ checker uses, what was published, stored, lost and
duplicated, and exits non-zero unless lost = 0, duplicated = 0 and the job COMPLETED.

Run it through `./evalfleet chaos [--short]`, which builds the jars, finds a JDK and prepares the
`evalfleet_chaos` database and the `evalfleet-chaos` virtual host. It needs root (it stops and starts
the local PostgreSQL and RabbitMQ). Every address it talks to is on 127.0.0.1. The coordinator's admin
key and the scoring token are EVALFLEET_ADMIN_KEY and EVALFLEET_SCORING_TOKEN if set, else fresh ones.
"""
import argparse
import json
import os
import random
import secrets
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "0.1.0-SNAPSHOT"
DB = "evalfleet_chaos"
VHOST = "evalfleet-chaos"
JAVA = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java")


def secret(variable, prefix=""):
    """The value of `variable`, or a fresh one for this run: `prefix` and 40 random letters and digits."""
    alphabet = string.ascii_letters + string.digits
    return os.environ.get(variable) or prefix + "".join(secrets.choice(alphabet) for _ in range(40))


# The coordinator's bootstrap admin key, sent on every call to it; the token workers show the scoring service.
ADMIN_KEY = secret("EVALFLEET_ADMIN_KEY", "ef_")
SCORING_TOKEN = secret("EVALFLEET_SCORING_TOKEN")
AUTHORIZATION = {"Authorization": f"Bearer {ADMIN_KEY}"}


def log(message):
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, content_type="application/json", timeout=10):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": content_type, **AUTHORIZATION})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"null")


def psql(sql):
    out = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-tAc", sql],
                         capture_output=True, text=True, check=True).stdout.strip()
    return out


class Service:
    """One of our services as a separate JVM, started from its runnable jar."""

    def __init__(self, name, module, port, env, logs):
        self.name, self.port = name, port
        jar = ROOT / module / "target" / f"{module}-{VERSION}-exec.jar"
        self.log = open(logs / f"{name}.log", "w")
        self.process = subprocess.Popen(
            [JAVA, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-jar", str(jar)],
            env={**os.environ, **env}, stdout=self.log, stderr=subprocess.STDOUT)

    def ready(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log.name}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/actuator/health/readiness", timeout=2)
                return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.5)
        raise RuntimeError(f"{self.name} not ready after {timeout}s; see {self.log.name}")

    def kill(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()


class Fleet:
    def __init__(self, args, logs, dataset):
        self.args, self.logs, self.dataset = args, logs, dataset
        self.infra = {"EVALFLEET_DB_URL": f"jdbc:postgresql://127.0.0.1:5432/{DB}",
                      "EVALFLEET_RABBIT_VHOST": VHOST}
        self.coordinator_port = free_port()
        self.scoring_port = free_port()
        self.workers = []
        self.worker_serial = 0
        self.lock = threading.Lock()

    def start(self):
        sim_port = free_port()
        simulator_jar = ROOT / "model-simulator" / "target" / f"model-simulator-{VERSION}-exec.jar"
        self.simulator = subprocess.Popen(
            [JAVA, "-jar", str(simulator_jar), "--port", str(sim_port), "--dataset", str(self.dataset),
             "--latency-ms", str(self.args.latency_ms), "--jitter-ms", str(self.args.latency_ms // 2),
             "--failure-rate", str(self.args.failure_rate), "--seed", "7"],
            stdout=open(self.logs / "simulator.log", "w"), stderr=subprocess.STDOUT)
        self.endpoints = json.dumps({"evalfleet": {"worker": {"endpoints": [
            {"name": "sim", "provider": "ollama", "base-url": f"http://127.0.0.1:{sim_port}",
             "max-concurrency": 4, "capacity": 6, "request-timeout": "20s"}]}}})
        self.scoring = Service("scoring", "scoring-service", self.scoring_port,
                               {"SCORING_PORT": str(self.scoring_port), "EVALFLEET_SCORING_TOKEN": SCORING_TOKEN},
                               self.logs)
        self.coordinator = self.start_coordinator()
        for _ in range(self.args.workers):
            self.add_worker()
        self.scoring.ready()
        self.coordinator.ready()
        for worker in self.workers:
            worker.ready()

    def start_coordinator(self):
        return Service("coordinator", "coordinator-service", self.coordinator_port,
                       {**self.infra, "COORDINATOR_PORT": str(self.coordinator_port),
                        "EVALFLEET_ADMIN_KEY": ADMIN_KEY}, self.logs)

    def supervise(self, stop):
        """A restart policy, as compose or Kubernetes would apply: a coordinator that died is started again
        (one that starts while PostgreSQL is down exits, and must be retried)."""
        while not stop.wait(2):
            if self.coordinator.process.poll() is not None:
                log(f"coordinator exited ({self.coordinator.process.returncode}); starting it again")
                self.coordinator = self.start_coordinator()
                self.coordinator_starts += 1

    def add_worker(self):
        with self.lock:
            self.worker_serial += 1
            port = free_port()
            worker_id = f"chaos-worker-{self.worker_serial}"
            worker = Service(f"worker-{self.worker_serial}", "worker-service", port, {
                **self.infra, "WORKER_PORT": str(port), "EVALFLEET_WORKER_ID": worker_id,
                "EVALFLEET_WORKER_CONCURRENCY": "2", "EVALFLEET_SCORING_URL": f"http://127.0.0.1:{self.scoring_port}",
                "EVALFLEET_SCORING_TOKEN": SCORING_TOKEN,
                "EVALFLEET_WORKER_HEARTBEAT_INTERVAL": "2s", "SPRING_APPLICATION_JSON": self.endpoints}, self.logs)
            worker.worker_id = worker_id
            worker.started = time.time()
            self.workers.append(worker)
            return worker

    def api(self, method, path, body=None, content_type="application/json"):
        return http(method, f"http://127.0.0.1:{self.coordinator_port}{path}", body, content_type)

    def stop(self):
        for service in self.workers + [self.coordinator, self.scoring]:
            service.stop()
        self.simulator.terminate()


def chaos_dataset(copies):
    """The sample problems, copied under new task ids: a job of 12 × copies tasks."""
    problems = [json.loads(line) for line in (ROOT / "examples" / "sample-problems.jsonl").read_text().splitlines() if line.strip()]
    path = Path(tempfile.mkdtemp(prefix="evalfleet-chaos-")) / "chaos-problems.jsonl"
    with path.open("w") as out:
        for copy in range(copies):
            for problem in problems:
                out.write(json.dumps({**problem, "task_id": f"{problem['task_id']}~{copy}"}) + "\n")
    return path, len(problems) * copies


def run_job(fleet, dataset_id, samples, deadline, disturb=None):
    job_id = fleet.api("POST", "/api/jobs", json.dumps({
        "datasetId": dataset_id, "endpoint": "sim", "model": "stand-in", "samplesPerProblem": samples}))["id"]
    started = time.time()
    stop = threading.Event()
    chaos = threading.Thread(target=disturb, args=(fleet, stop), daemon=True) if disturb else None
    if chaos:
        chaos.start()
    view, last = None, ""
    while time.time() - started < deadline:
        try:
            view = fleet.api("GET", f"/api/jobs/{job_id}")
            t = view["tasks"]
            line = f"{view['status']:<9} completed {t['completed']}/{t['total']} failed {t['failed']} queued {t['queued']}"
            if line != last:
                log(line)
                last = line
            if view["status"] in ("COMPLETED", "FAILED", "CANCELLED"):
                break
        except (urllib.error.URLError, OSError, ValueError):
            pass  # the coordinator or its database is down on purpose
        time.sleep(1)
    wall = time.time() - started
    stop.set()
    if chaos:
        chaos.join()
    return job_id, view, wall


def disturb(args):
    def run(fleet, stop):
        started = time.time()
        events = sorted([(args.broker_at, "broker"), (args.coordinator_at, "coordinator"), (args.database_at, "database")])
        next_kill = started + 10
        while not stop.is_set():
            now = time.time() - started
            while events and now >= events[0][0]:
                _, what = events.pop(0)
                threading.Thread(target=globals()[f"restart_{what}"], args=(fleet, args), daemon=True).start()
            if time.time() >= next_kill:
                next_kill += 10
                victims = [w for w in fleet.workers if w.process.poll() is None]
                if victims:
                    victim = random.choice(victims)
                    log(f"SIGKILL {victim.name}")
                    victim.kill()
                    fleet.killed[victim.worker_id] = time.time()
                    fleet.add_worker()
                    fleet.disruptions["worker kills"] += 1
            stop.wait(0.5)
    return run


def restart_broker(fleet, args):
    log("RabbitMQ: stop_app")
    subprocess.run(["rabbitmqctl", "-q", "stop_app"], check=True)
    time.sleep(3)
    subprocess.run(["rabbitmqctl", "-q", "start_app"], check=True)
    log("RabbitMQ: started again")
    fleet.disruptions["broker restarts"] += 1


def restart_coordinator(fleet, args):
    fleet.duplicates_before_restart = duplicates_dropped(fleet)
    log("coordinator: SIGKILL (the supervisor starts it again)")
    fleet.coordinator.kill()
    fleet.disruptions["coordinator restarts"] += 1


def restart_database(fleet, args):
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    log(f"PostgreSQL: stop for {args.database_down_s}s")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "stop", "-m", "fast"], check=True)
    time.sleep(args.database_down_s)
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True)
    log("PostgreSQL: started again")
    fleet.disruptions["database outages"] += 1


def duplicates_dropped(fleet):
    try:
        metrics = urllib.request.Request(f"http://127.0.0.1:{fleet.coordinator_port}/actuator/prometheus",
                                         headers=AUTHORIZATION)
        with urllib.request.urlopen(metrics, timeout=5) as r:
            for line in r.read().decode().splitlines():
                if line.startswith("evalfleet_results_total") and 'outcome="duplicate"' in line:
                    return int(float(line.split()[-1]))
    except (urllib.error.URLError, OSError):
        pass
    return 0


def registry_check(fleet):
    """What GET /api/workers says of the killed workers and of the live ones: a worker killed more than
    20 s ago must not be UP (STALE after 15 s of silence), one killed more than 65 s ago must be GONE,
    and every live worker must be UP."""
    statuses = {w["workerId"]: w["status"] for w in fleet.api("GET", "/api/workers")}
    now = time.time()
    wrong = []
    for worker_id, killed_at in fleet.killed.items():
        status = statuses.get(worker_id, "GONE")
        if (now - killed_at > 65 and status != "GONE") or (now - killed_at > 20 and status == "UP"):
            wrong.append(f"{worker_id} killed {now - killed_at:.0f}s ago is {status}")
    for worker in fleet.workers:
        settled = now - worker.started > 20  # started, and had time to send its first heartbeats
        if worker.process.poll() is None and settled and statuses.get(worker.worker_id) != "UP":
            wrong.append(f"live {worker.worker_id} is {statuses.get(worker.worker_id)}")
    shown = {}
    for status in statuses.values():
        shown[status] = shown.get(status, 0) + 1
    return {"workers by status": shown, "registry errors": wrong}


def count(job_id, samples):
    q = lambda sql: int(psql(sql.replace(":job", f"'{job_id}'")) or 0)
    return {
        "tasks": q("select count(*) from task where job_id = :job"),
        "published": q("select count(*) from outbox_message o join task t on t.id = o.task_id where t.job_id = :job and o.published_at is not null"),
        "publish-attempts": q("select coalesce(sum(o.attempts), 0) from outbox_message o join task t on t.id = o.task_id where t.job_id = :job"),
        "stored": q("select count(*) from task where job_id = :job and state in ('COMPLETED', 'FAILED')"),
        "samples": q("select count(*) from sample s join task t on t.id = s.task_id where t.job_id = :job"),
        "lost": q("select count(*) from task where job_id = :job and state not in ('COMPLETED', 'FAILED', 'CANCELLED')")
                + q(f"select count(*) from task t where t.job_id = :job and t.state = 'COMPLETED' and (select count(*) from sample s where s.task_id = t.id) <> {samples}"),
        "duplicated": q("select count(*) from (select s.task_id, s.sample_index from sample s join task t on t.id = s.task_id where t.job_id = :job group by 1, 2 having count(*) > 1) d"),
        "dead-lettered": q("select count(*) from task where job_id = :job and state = 'FAILED' and failure_reason like 'dead-lettered%'"),
        "failed": q("select count(*) from task where job_id = :job and state = 'FAILED'"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="CI's short form: fewer tasks, shorter outages")
    parser.add_argument("--report", default=str(ROOT / ".evalfleet" / "chaos" / "report.json"))
    args = parser.parse_args()
    args.workers = 4
    args.failure_rate = 0.1
    if args.short:
        args.copies, args.latency_ms, args.samples = 20, 500, 1           # 240 tasks
        args.broker_at, args.coordinator_at, args.database_at, args.database_down_s = 5, 12, 20, 8
    else:
        args.copies, args.latency_ms, args.samples = 42, 800, 1           # 504 tasks
        args.broker_at, args.coordinator_at, args.database_at, args.database_down_s = 10, 25, 40, 20

    logs = ROOT / ".evalfleet" / "chaos" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    dataset, tasks = chaos_dataset(args.copies)
    fleet = Fleet(args, logs, dataset)
    fleet.disruptions = {"worker kills": 0, "broker restarts": 0, "coordinator restarts": 0, "database outages": 0}
    fleet.duplicates_before_restart = 0
    fleet.coordinator_starts = 0
    fleet.killed = {}
    supervisor_stop = threading.Event()
    try:
        fleet.start()
        threading.Thread(target=fleet.supervise, args=(supervisor_stop,), daemon=True).start()
        time.sleep(4)  # first heartbeats
        dataset_id = fleet.api("POST", "/api/datasets?name=chaos", dataset.read_bytes(), "application/x-ndjson")["id"]
        log(f"baseline: {tasks} tasks, undisturbed")
        baseline_id, baseline_view, baseline_wall = run_job(fleet, dataset_id, args.samples, deadline=900)
        log(f"baseline: {baseline_view['status']} in {baseline_wall:.1f}s")
        log(f"chaos: the same {tasks} tasks, with failures")
        job_id, view, wall = run_job(fleet, dataset_id, args.samples, deadline=1500, disturb=disturb(args))
        # let a last disruption finish before counting
        for _ in range(60):
            if all(fleet.disruptions.values()):
                break
            time.sleep(1)
        counts = count(job_id, args.samples)
        counts["redeliveries"] = fleet.duplicates_before_restart + duplicates_dropped(fleet)
        counts.update(registry_check(fleet))
        report = {
            "form": "short" if args.short else "full",
            "tasks": tasks, "workers": args.workers, "model failure rate": args.failure_rate,
            "model latency ms": args.latency_ms, "status": view["status"] if view else "UNKNOWN",
            "wall s": round(wall, 1), "undisturbed wall s": round(baseline_wall, 1),
            "slowdown": round(wall / baseline_wall, 2), "disruptions": fleet.disruptions,
            "coordinator starts by the supervisor": fleet.coordinator_starts, **counts,
        }
    finally:
        supervisor_stop.set()
        fleet.stop()
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).write_text(json.dumps(report, indent=2) + "\n")
    for key in ("status", "tasks", "published", "stored", "lost", "duplicated", "dead-lettered", "failed",
                "redeliveries", "workers by status", "registry errors", "wall s", "undisturbed wall s", "slowdown",
                "disruptions"):
        log(f"{key:>18}: {report[key]}")
    ok = (report["status"] == "COMPLETED" and report["lost"] == 0 and report["duplicated"] == 0
          and not report["registry errors"])
    log("PASS: nothing lost, nothing twice" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
