"""Load and fault benchmark: CIOs upload, staff review, readers read, while parts fail.

Runs everything on loopback and stops by itself: a private PostgreSQL cluster (database
digitrack_load) and a private Redis (db 6), so restarting them cannot disturb anyone else's
servers; gunicorn; two Celery workers, started again if they exit, as docker-compose.yml's
restart policy does (each restart is recorded with the worker's last error). For --duration
seconds it drives --concurrency virtual users through the real pages (sign-in, upload form,
review form, dashboards) and, in the same run and one after another, SIGKILLs a worker process
in the middle of a recompute, stops and starts Redis (persisted, as in compose), and restarts
PostgreSQL. Then it lets the queue drain and checks that nothing was lost:

- no 5xx, except 503 pages while PostgreSQL is restarting (the clean failure the app promises);
- every successful upload is in the database exactly once and on disk with a matching SHA-256,
  and no evidence file is on disk without its row;
- every approval is reflected in the final compliance statuses (a synchronous recompute of
  every trust changes nothing, and the outbox is empty);
- each fault case survived (the task running in the killed worker process was delivered again
  and succeeded once, by the workers' logs, so the outbox drain cannot hide its loss).

Prints a summary, writes bench/results/load.json, exits non-zero on any failure.

    python bench/load.py --duration 60 --concurrency 20
"""

import argparse
import contextlib
import datetime
import hashlib
import http.client
import http.cookies
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results" / "load.json"
HOST = "127.0.0.1"
PASSWORD = "load-test-password-" + secrets.token_urlsafe(12)
PDF_HEAD = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
PDF_TAIL = b"trailer<</Root 1 0 R>>\n%%EOF\n"
# 503s are the promised clean failure while PostgreSQL is away; allowed this long after it is back.
RECOVERY_GRACE_SECONDS = 15
DRAIN_TIMEOUT_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def broker_call(call):
    """A Celery call from this process; None while the broker cannot be reached."""
    import kombu.exceptions
    import redis

    from digitrack.celery import app

    try:
        return call(app)
    except (redis.exceptions.ConnectionError, kombu.exceptions.OperationalError, OSError):
        return None


# --- the servers -----------------------------------------------------------------------------


class PrivatePostgres:
    """A throwaway cluster in a temporary folder, owned by the postgres user when run as root."""

    def __init__(self, folder: Path):
        versions = sorted(Path("/usr/lib/postgresql").iterdir(), key=lambda p: int(p.name))
        self.bin = versions[-1] / "bin"
        self.data = folder / "pgdata"
        self.socket_dir = folder / "pgsocket"
        self.port = free_port()
        self.log = folder / "postgres.log"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def _pg_ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses={HOST} -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-m", "fast", "-w", action)

    def start(self) -> None:
        for folder in (self.data, self.socket_dir):
            folder.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
            for folder in (self.data, self.socket_dir):
                shutil.chown(folder, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        self._pg_ctl("start")
        self._run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", "digitrack_load")

    def restart(self) -> None:
        self._pg_ctl("restart")

    def stop(self) -> None:
        self._pg_ctl("stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/digitrack_load"


class PrivateRedis:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            # Persisted as in docker-compose.yml, so a stop and start keeps the queue.
            [
                "redis-server",
                "--bind",
                HOST,
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "yes",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        if not wait_until(self.answers, 10):
            raise RuntimeError("redis-server did not start")

    def answers(self) -> bool:
        result = subprocess.run(["redis-cli", "-h", HOST, "-p", str(self.port), "ping"], capture_output=True, text=True)
        return result.stdout.strip() == "PONG"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def queue_length(self) -> int:
        result = subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(self.port), "-n", "6", "llen", "celery"], capture_output=True, text=True
        )
        return int(result.stdout.strip() or 0)

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/6"


# --- virtual users -------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str
    status: int  # 0: no answer (connection refused, timeout)
    started: float
    seconds: float


@dataclass
class Record:
    outcomes: list[Outcome] = field(default_factory=list)
    uploads_ok: dict[str, str] = field(default_factory=dict)  # original name -> sha256
    uploads_unsure: dict[str, str] = field(default_factory=dict)  # 5xx or no answer: may have landed
    approvals: set[int] = field(default_factory=set)
    rejections: set[int] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


class Browser:
    """Just enough of a browser: cookies, CSRF token, and the headers a TLS proxy adds."""

    def __init__(self, port: int, record: Record):
        self.port = port
        self.record = record
        self.cookies: dict[str, str] = {}
        self.origin = f"https://{HOST}:{port}"

    def request(
        self, kind: str, method: str, path: str, body: bytes = b"", content_type: str = ""
    ) -> tuple[int, str, str]:
        headers = {
            "Host": f"{HOST}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Referer": self.origin + path,
            "X-Request-ID": f"load-{uuid.uuid4().hex[:16]}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Content-Type"] = content_type
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
            for header in response.msg.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            location = response.getheader("Location", "")
        except (OSError, http.client.HTTPException):
            status, text, location = 0, "", ""
        finally:
            connection.close()
        self.record.add(Outcome(kind, status, started, time.monotonic() - started))
        return status, text, location

    def form_post(self, kind: str, path: str, fields: dict[str, str]) -> tuple[int, str, str]:
        return self.request(
            kind, "POST", path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        )

    def sign_in(self, username: str) -> bool:
        status, page, _ = self.request("sign-in", "GET", "/accounts/login/")
        token = csrf_token(page)
        if status != 200 or not token:
            return False
        status, _, _ = self.form_post(
            "sign-in", "/accounts/login/", {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        )
        return status == 302


def csrf_token(page: str) -> str | None:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return match.group(1) if match else None


def multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def cio_loop(browser: Browser, trust_code: str, deadline: float, rng: random.Random) -> None:
    path = f"/trusts/{trust_code}/evidence/new/"
    while time.monotonic() < deadline:
        status, page, _ = browser.request("upload-form", "GET", path)
        token = csrf_token(page)
        requirements = re.findall(r'<option value="(\d+)"', page)
        if status != 200 or not token or not requirements:
            time.sleep(0.5)
            continue
        name = f"load-{uuid.uuid4().hex}.pdf"
        content = PDF_HEAD + f"% load test evidence {name} {rng.random()}\n".encode() + PDF_TAIL
        body, content_type = multipart(
            {
                "csrfmiddlewaretoken": token,
                "requirement": rng.choice(requirements),
                "summary": f"[Load test] generated evidence {name}",
            },
            "file",
            name,
            content,
        )
        status, _, _ = browser.request("upload", "POST", path, body, content_type)
        digest = hashlib.sha256(content).hexdigest()
        with browser.record.lock:
            if status == 302:
                browser.record.uploads_ok[name] = digest
            elif status == 0 or status >= 500:
                browser.record.uploads_unsure[name] = digest
        time.sleep(rng.uniform(0.1, 0.4))


def staff_loop(browser: Browser, deadline: float, rng: random.Random) -> None:
    while time.monotonic() < deadline:
        status, page, _ = browser.request("review-queue", "GET", "/review/")
        pending = sorted(set(re.findall(r'href="/review/(\d+)/"', page)))
        if status != 200 or not pending:
            time.sleep(0.5)
            continue
        pk = int(rng.choice(pending))
        status, page, _ = browser.request("review-form", "GET", f"/review/{pk}/")
        token = csrf_token(page)
        if status != 200 or not token:
            continue
        approve = rng.random() < 0.7
        fields = {
            "csrfmiddlewaretoken": token,
            "decision": "approve" if approve else "reject",
            "comment": "" if approve else "[Load test] rejected: not signed off by the board.",
        }
        status, _, _ = browser.form_post("review", f"/review/{pk}/", fields)
        if status == 302:
            with browser.record.lock:
                (browser.record.approvals if approve else browser.record.rejections).add(pk)
        time.sleep(rng.uniform(0.1, 0.3))


def reader_loop(browser: Browser, deadline: float, rng: random.Random, regions: list[str], trusts: list[str]) -> None:
    while time.monotonic() < deadline:
        choice = rng.random()
        if choice < 0.3:
            browser.request("dashboard-national", "GET", "/")
        elif choice < 0.6:
            browser.request("dashboard-region", "GET", f"/regions/{rng.choice(regions)}/")
        else:
            browser.request("dashboard-trust", "GET", f"/trusts/{rng.choice(trusts)}/")
        time.sleep(rng.uniform(0.05, 0.2))


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Fault:
    name: str
    started: float = 0.0
    ended: float = 0.0
    survived: bool | None = None
    detail: dict = field(default_factory=dict)


class Bench:
    def __init__(self, args):
        self.args = args
        self.folder = Path(tempfile.mkdtemp(prefix="digitrack-load-"))
        self.media = self.folder / "media"
        self.postgres = PrivatePostgres(self.folder)
        self.redis = PrivateRedis(self.folder)
        self.web_port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.record = Record()
        self.faults: list[Fault] = []
        self.failures: list[str] = []
        self.worker_restarts: list[dict] = []
        self.stopping = threading.Event()
        self.supervisor: threading.Thread | None = None

    # environment and processes

    def environment(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "digitrack.settings",
            "DEBUG": "False",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url,
            "MEDIA_ROOT": str(self.media),
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": "INFO",
            # The run sends the outbox drain once, right after the load: let it take requests of any age.
            "RECOMPUTE_DRAIN_MIN_AGE_SECONDS": "0",
        }

    def spawn(self, name: str, command: list[str]) -> None:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(
            command, cwd=PROJECT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def start_worker(self, name: str) -> None:
        self.spawn(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "--app",
                "digitrack",
                "worker",
                "--hostname",
                f"{name}@load",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
        )

    def supervise_workers(self, started: float) -> None:
        """Start a worker again when it exits, as docker-compose.yml's restart policy does, and
        record when and why (the last error it logged)."""
        while not self.stopping.wait(0.5):
            for name in ("worker1", "worker2"):
                exit_code = self.processes[name].poll()
                if exit_code is not None and not self.stopping.is_set():
                    self.worker_restarts.append(
                        {
                            "worker": name,
                            "exit_code": exit_code,
                            "at_seconds": round(time.monotonic() - started, 1),
                            "last_error": self.last_error(name),
                        }
                    )
                    self.start_worker(name)

    def last_error(self, name: str) -> str | None:
        errors = [
            line
            for line in (self.folder / f"{name}.log").read_text(errors="replace").splitlines()
            if '"level": "CRITICAL"' in line or '"level": "ERROR"' in line
        ]
        return json.loads(errors[-1])["message"] if errors else None

    def task_log_counts(self, task_id: str) -> tuple[int, int]:
        """How often the workers' JSON logs say a task was received and succeeded (Celery logs
        "Task name[id] received" for each delivery and "... succeeded in" for each success)."""
        logs = [log.read_text(errors="replace") for log in self.folder.glob("worker*.log")]
        return (
            sum(text.count(f"[{task_id}] received") for text in logs),
            sum(text.count(f"[{task_id}] succeeded in ") for text in logs),
        )

    def manage(self, *args: str) -> None:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")

    def http_status(self, path: str) -> tuple[int, str]:
        browser = Browser(self.web_port, Record())
        status, text, _ = browser.request("probe", "GET", path)
        return status, text

    def set_up(self) -> None:
        self.secret_key = secrets.token_urlsafe(50)
        self.postgres.start()
        self.redis.start()
        self.manage("migrate", "--no-input")
        self.manage("import_ods", "trusts/data/etr.csv")
        self.manage("collectstatic", "--no-input", "--verbosity", "0")
        os.environ.update(self.environment())
        import django

        django.setup()
        from digitrack.celery import app

        # This process's own broker calls: no pooled connection to go stale when Redis restarts.
        app.conf.broker_pool_limit = None
        self.users = self.create_users()
        self.spawn(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "digitrack.wsgi",
                "--bind",
                f"{HOST}:{self.web_port}",
                "--worker-class",
                "gthread",
                "--workers",
                "3",
                "--threads",
                "6",
                "--timeout",
                "60",
            ],
        )
        self.start_worker("worker1")
        self.start_worker("worker2")
        if not wait_until(lambda: self.http_status("/readyz")[0] == 200, 60):
            raise RuntimeError("the web server did not become ready")
        if not wait_until(
            lambda: len(broker_call(lambda app: app.control.ping(timeout=1)) or []) == 2, 60, interval=0.5
        ):
            raise RuntimeError("the Celery workers did not answer")
        self.supervisor = threading.Thread(target=self.supervise_workers, args=(time.monotonic(),), daemon=True)
        self.supervisor.start()

    def create_users(self) -> dict:
        """Load-test users (load-*) on real trusts of the register; statuses computed up front."""
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db import connections
        from django.utils import timezone

        from milestones.services.compliance import recompute_requests_drain
        from trusts.models import Region, Trust

        recompute_requests_drain(as_of=timezone.localdate(), limit=100_000)
        user_model = get_user_model()
        concurrency = self.args.concurrency
        cios = max(1, round(concurrency * 0.4))
        staff = max(1, round(concurrency * 0.2))
        readers = max(1, concurrency - cios - staff)
        trusts = list(Trust.objects.filter(closed_on__isnull=True).order_by("ods_code")[:cios])
        cio_group, staff_group = Group.objects.get(name="Trust CIO"), Group.objects.get(name="Programme staff")
        users = {"cio": [], "staff": [], "reader": []}
        for index, trust in enumerate(trusts, start=1):
            user = user_model.objects.create_user(f"load-cio-{index}", password=PASSWORD)
            user.groups.add(cio_group)
            trust.cio_users.add(user)
            users["cio"].append((user.username, trust.ods_code))
        for role, count in (("staff", staff), ("reader", readers)):
            for index in range(1, count + 1):
                user = user_model.objects.create_user(f"load-{role}-{index}", password=PASSWORD)
                user.groups.add(staff_group)
                users[role].append((user.username, None))
        self.regions = list(Region.objects.values_list("code", flat=True))
        self.trust_codes = list(Trust.objects.filter(closed_on__isnull=True).values_list("ods_code", flat=True))
        connections.close_all()
        return users

    # faults

    def fault_kill_worker(self) -> Fault:
        """SIGKILL the pool process of worker1 while it runs a recompute; acks-late redelivers it."""
        from milestones.tasks import recompute_all

        fault = Fault("SIGKILL a worker process mid-recompute", started=time.monotonic())
        recompute_all.delay()
        victim = None

        def running() -> bool:
            nonlocal victim
            inspect = lambda app: app.control.inspect(destination=["worker1@load"], timeout=0.5).active()  # noqa: E731
            active = broker_call(inspect) or {}
            for task in active.get("worker1@load", []):
                # The tasks that compute statuses (recompute_all only fans out batches of them).
                if task["name"].endswith(("recompute_trust", "recompute_trusts", "recompute_target")):
                    victim = task
                    return True
            return False

        if wait_until(running, 15, interval=0.1):
            os.kill(victim["worker_pid"], signal.SIGKILL)
            fault.detail = {"task": victim["name"], "task_id": victim["id"], "killed_pid": victim["worker_pid"]}
            # The worker replaces its lost process; it must answer again.
            answered = wait_until(
                lambda: bool(broker_call(lambda app: app.control.ping(destination=["worker1@load"], timeout=0.5))),
                30,
                interval=0.5,
            )
            fault.detail["worker_answers_after"] = answered
            # The next fault waits for the redelivered task to finish, so each is judged alone.
            wait_until(lambda: self.task_log_counts(victim["id"])[1] > 0, 30, interval=0.5)
            fault.detail["finished_after_seconds"] = round(time.monotonic() - fault.started, 1)
            # And, once the queue drains, the killed task finished once (killed_task_check) and
            # the statuses are correct (verify).
            fault.survived = answered
        else:
            fault.detail = {"error": "no recompute was running on worker1 within 15 s"}
            fault.survived = False
        fault.ended = time.monotonic()
        return fault

    def fault_redis_outage(self, seconds: float) -> Fault:
        fault = Fault("Redis stopped and started", started=time.monotonic())
        self.redis.stop()
        time.sleep(min(1.0, seconds / 2))
        status, text = self.http_status("/readyz")
        fault.detail["readyz_during"] = status
        fault.detail["readyz_redis_check"] = json.loads(text)["checks"]["redis"] if status == 503 else None
        time.sleep(max(0.0, seconds - (time.monotonic() - fault.started)))
        self.redis.start()
        fault.ended = time.monotonic()
        fault.detail["outage_seconds"] = round(fault.ended - fault.started, 1)
        fault.detail["readyz_after"] = wait_until(lambda: self.http_status("/readyz")[0] == 200, 30)
        return fault

    def fault_postgres_restart(self) -> Fault:
        fault = Fault("PostgreSQL restarted", started=time.monotonic())
        self.postgres.restart()
        fault.ended = time.monotonic()
        fault.detail["restart_seconds"] = round(fault.ended - fault.started, 1)
        web_pid = self.processes["web"].pid
        recovered = wait_until(lambda: self.http_status("/readyz")[0] == 200, 30)
        fault.detail["ready_again_after_seconds"] = round(time.monotonic() - fault.started, 1)
        fault.detail["web_not_restarted"] = (
            self.processes["web"].poll() is None and self.processes["web"].pid == web_pid
        )
        fault.survived = recovered and fault.detail["web_not_restarted"]
        return fault

    def run_faults(self, started: float) -> None:
        duration = self.args.duration

        def at(share: float) -> None:
            """At this share of the run, and no sooner than a second after the last fault ended."""
            not_before = self.faults[-1].ended + 1.0 if self.faults else 0.0
            time.sleep(max(0.0, started + duration * share - time.monotonic(), not_before - time.monotonic()))

        at(0.15)
        self.faults.append(self.fault_kill_worker())
        at(0.4)
        self.faults.append(self.fault_redis_outage(max(2.0, duration * 0.1)))
        at(0.7)
        self.faults.append(self.fault_postgres_restart())

    # the load

    def drive(self) -> float:
        started = time.monotonic()
        deadline = started + self.args.duration
        threads = []
        for index, (username, trust_code) in enumerate(self.users["cio"] + self.users["staff"] + self.users["reader"]):
            threads.append(
                threading.Thread(target=self.virtual_user, args=(index, username, trust_code, deadline), daemon=True)
            )
        faults = threading.Thread(target=self.run_faults, args=(started,), daemon=True)
        for thread in threads:
            thread.start()
        faults.start()
        for thread in threads:
            thread.join(self.args.duration + 120)
        faults.join(120)
        return time.monotonic() - started

    def virtual_user(self, index: int, username: str, trust_code: str | None, deadline: float) -> None:
        rng = random.Random(index)
        browser = Browser(self.web_port, self.record)
        if not wait_until(lambda: browser.sign_in(username), 30, interval=1):
            self.failures.append(f"{username} could not sign in")
            return
        if username.startswith("load-cio"):
            cio_loop(browser, trust_code, deadline, rng)
        elif username.startswith("load-staff"):
            staff_loop(browser, deadline, rng)
        else:
            reader_loop(browser, deadline, rng, self.regions, self.trust_codes)

    # after the load

    def drain(self) -> dict:
        """Send the periodic drain once (as beat would) and wait for outbox and queue to empty."""
        from django.db import connections

        from milestones.models import RecomputeRequest
        from milestones.tasks import drain_recompute_requests

        started = time.monotonic()
        wait_until(lambda: broker_call(lambda app: drain_recompute_requests.delay()) is not None, 30, interval=1)

        def idle() -> bool:
            pending = RecomputeRequest.objects.filter(processed_at__isnull=True).count()
            connections.close_all()
            if pending or self.redis.queue_length():
                return False
            active = broker_call(lambda app: app.control.inspect(timeout=1).active())
            return active is not None and not any(active.values())

        drained = wait_until(idle, DRAIN_TIMEOUT_SECONDS, interval=1)
        return {"drained": drained, "seconds": round(time.monotonic() - started, 1)}

    def killed_task_check(self) -> None:
        """Was the task whose worker process was SIGKILLed delivered again and did it succeed?
        Read from the workers' logs, so a lost task cannot pass unnoticed because the outbox
        drain recomputed the same trusts."""
        fault = next((f for f in self.faults if f.name.startswith("SIGKILL")), None)
        if fault is None or "task_id" not in fault.detail:
            return
        deliveries, successes = self.task_log_counts(fault.detail["task_id"])
        fault.detail["killed_task_deliveries"] = deliveries
        fault.detail["killed_task_successes"] = successes
        # Lost would be no success. One delivery and one success means the task finished just
        # before the kill landed: nothing was lost, and the detail says it was not redelivered.
        fault.detail["redelivered"] = deliveries >= 2
        fault.survived = bool(fault.survived and successes == 1)

    def verify(self) -> dict:
        from django.db.models import Count, Max, Min
        from django.utils import timezone

        from milestones.models import ComplianceStatus, EvidenceSubmission, RecomputeRequest, ReviewState, Target
        from milestones.services.compliance import statuses_recompute
        from trusts.models import Trust

        checks: dict = {}
        rows = list(EvidenceSubmission.objects.filter(original_name__startswith="load-"))
        by_name: dict[str, list] = {}
        for row in rows:
            by_name.setdefault(row.original_name, []).append(row)
        attempted = {**self.record.uploads_unsure, **self.record.uploads_ok}
        missing = [name for name in self.record.uploads_ok if len(by_name.get(name, [])) != 1]
        unexpected = [name for name in by_name if name not in attempted]
        bad_files = []
        for row in rows:
            path = self.media / row.file.name
            on_disk = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
            if on_disk != row.sha256 or row.sha256 != attempted.get(row.original_name):
                bad_files.append(row.original_name)
        referenced = {str(self.media / row.file.name) for row in EvidenceSubmission.objects.all()}
        evidence_folder = self.media / "evidence"
        on_disk = {str(p) for p in evidence_folder.rglob("*") if p.is_file()} if evidence_folder.exists() else set()
        checks["uploads"] = {
            "succeeded": len(self.record.uploads_ok),
            "answered_5xx_or_not_at_all": len(self.record.uploads_unsure),
            "of_those_stored_anyway": sum(1 for name in self.record.uploads_unsure if name in by_name),
            "succeeded_but_not_stored_exactly_once": len(missing),
            "stored_but_never_sent": len(unexpected),
            "file_missing_or_sha256_mismatch": len(bad_files),
            "files_on_disk_without_a_row": len(on_disk - referenced),
            "ok": not missing and not unexpected and not bad_files and not on_disk - referenced,
        }
        approved_in_db = set(
            EvidenceSubmission.objects.filter(pk__in=self.record.approvals, state=ReviewState.APPROVED).values_list(
                "pk", flat=True
            )
        )
        checks["approvals"] = {
            "approved": len(self.record.approvals),
            "rejected": len(self.record.rejections),
            "approved_but_not_approved_in_db": len(self.record.approvals - approved_in_db),
        }
        # Every approval reflected: each trust's statuses were computed after its last review...
        last_review = dict(
            EvidenceSubmission.objects.filter(reviewed_at__isnull=False)
            .values("trust_id")
            .annotate(last=Max("reviewed_at"))
            .values_list("trust_id", "last")
        )
        oldest_status = dict(
            ComplianceStatus.objects.filter(trust_id__in=last_review)
            .values("trust_id")
            .annotate(oldest=Min("computed_at"))
            .values_list("trust_id", "oldest")
        )
        stale = [
            trust_id
            for trust_id, last in last_review.items()
            if oldest_status.get(trust_id) is None or oldest_status[trust_id] < last
        ]
        unprocessed = RecomputeRequest.objects.filter(processed_at__isnull=True).count()
        # ...and recomputing every trust now, synchronously, changes nothing.
        summary = statuses_recompute(
            trusts=Trust.objects.all(), targets=Target.objects.all(), as_of=timezone.localdate()
        )
        checks["statuses"] = {
            "trusts_reviewed": len(last_review),
            "trusts_with_status_older_than_last_review": len(stale),
            "outbox_unprocessed": unprocessed,
            "synchronous_recompute_changed": summary.changed,
            "met_statuses": ComplianceStatus.objects.filter(status="met").count(),
            "ok": not stale
            and unprocessed == 0
            and summary.changed == 0
            and not checks["approvals"]["approved_but_not_approved_in_db"],
        }
        duplicates = (
            EvidenceSubmission.objects.filter(original_name__startswith="load-")
            .values("sha256")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        checks["uploads"]["duplicate_contents"] = duplicates
        return checks

    def responses(self) -> dict:
        postgres = next((f for f in self.faults if f.name.startswith("PostgreSQL")), None)
        window = (postgres.started, postgres.ended + RECOVERY_GRACE_SECONDS) if postgres else (0, 0)
        by_status: dict[str, int] = {}
        unexpected = []
        for outcome in self.record.outcomes:
            by_status[str(outcome.status)] = by_status.get(str(outcome.status), 0) + 1
            in_window = window[0] <= outcome.started + outcome.seconds and outcome.started <= window[1]
            if outcome.status >= 500 and not (outcome.status == 503 and in_window):
                unexpected.append(outcome)
            if outcome.status == 0 and not in_window:
                unexpected.append(outcome)
        latencies = sorted(o.seconds * 1000 for o in self.record.outcomes if o.status)
        kinds = sorted({o.kind for o in self.record.outcomes})
        return {
            "total": len(self.record.outcomes),
            "by_status": dict(sorted(by_status.items())),
            "unexpected_5xx_or_no_answer": len(unexpected),
            "unexpected_examples": [f"{o.kind} {o.status}" for o in unexpected[:10]],
            "latency_ms": percentiles(latencies),
            "latency_ms_by_kind": {
                kind: percentiles(sorted(o.seconds * 1000 for o in self.record.outcomes if o.kind == kind and o.status))
                for kind in kinds
            },
        }

    def tear_down(self) -> None:
        self.stopping.set()
        if self.supervisor is not None:
            self.supervisor.join()
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError):  # it never started; nothing to stop
            self.postgres.stop()
        if not self.args.keep:
            shutil.rmtree(self.folder, ignore_errors=True)

    def run(self) -> int:
        started_at = datetime.datetime.now(datetime.UTC)
        try:
            self.set_up()
            elapsed = self.drive()
            drain = self.drain()
            self.killed_task_check()
            checks = self.verify()
        finally:
            self.tear_down()
        responses = self.responses()
        faults = []
        for fault in self.faults:
            if fault.name.startswith("Redis"):
                fault.survived = bool(
                    fault.detail.get("readyz_during") == 503
                    and fault.detail.get("readyz_after")
                    and responses["unexpected_5xx_or_no_answer"] == 0
                )
            survived = bool(fault.survived and checks["statuses"]["ok"] and checks["uploads"]["ok"])
            faults.append({"name": fault.name, "survived": survived, **fault.detail})
        if len(faults) != 3:
            self.failures.append("not every fault case ran (the run was too short?)")
        if responses["unexpected_5xx_or_no_answer"]:
            self.failures.append(f"{responses['unexpected_5xx_or_no_answer']} unexpected 5xx or unanswered requests")
        if not checks["uploads"]["ok"]:
            self.failures.append("uploads lost, duplicated or corrupted, or files on disk without a row")
        if not drain["drained"]:
            self.failures.append("the queue did not drain")
        if not checks["statuses"]["ok"]:
            self.failures.append("final compliance statuses do not reflect every approval")
        self.failures += [f"fault not survived: {f['name']}" for f in faults if not f["survived"]]
        result = {
            "started_at": started_at.isoformat(timespec="seconds"),
            "duration_seconds": self.args.duration,
            "elapsed_seconds": round(elapsed, 1),
            "concurrency": self.args.concurrency,
            "users": {role: len(users) for role, users in self.users.items()},
            "requests": responses,
            "requests_per_second": round(responses["total"] / elapsed, 1),
            "drain": drain,
            "checks": checks,
            "faults": faults,
            # Restarts by the supervisor, as docker-compose.yml's restart policy would.
            "worker_restarts": self.worker_restarts,
            "failures": self.failures,
            "passed": not self.failures,
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        self.args.output.write_text(json.dumps(result, indent=2) + "\n")
        print_summary(result, self.args.output)
        return 0 if not self.failures else 1


def percentiles(values: list[float]) -> dict:
    if not values:
        return {}

    def at(share: float) -> float:
        return round(values[min(len(values) - 1, int(share * len(values)))], 1)

    return {
        "p50": at(0.5),
        "p90": at(0.9),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": round(values[-1], 1),
        "mean": round(statistics.fmean(values), 1),
    }


def print_summary(result: dict, output: Path) -> None:
    requests = result["requests"]
    print(f"DigiTrack load: {result['duration_seconds']} s at concurrency {result['concurrency']} ({result['users']})")
    print(
        f"  requests: {requests['total']} ({result['requests_per_second']}/s) by status {requests['by_status']}; "
        f"unexpected 5xx/no answer: {requests['unexpected_5xx_or_no_answer']}"
    )
    print(f"  latency ms: {requests['latency_ms']}")
    for kind, values in requests["latency_ms_by_kind"].items():
        print(f"    {kind:20} p50 {values.get('p50')}  p95 {values.get('p95')}  p99 {values.get('p99')}")
    print(f"  uploads: {result['checks']['uploads']}")
    print(f"  approvals: {result['checks']['approvals']}")
    print(f"  statuses: {result['checks']['statuses']}; drain {result['drain']}")
    print(f"  worker restarts (as the compose restart policy would): {result['worker_restarts'] or 'none'}")
    for fault in result["faults"]:
        print(
            f"  fault: {fault['name']}: {'survived' if fault['survived'] else 'NOT SURVIVED'} "
            f"{ {k: v for k, v in fault.items() if k not in {'name', 'survived'}} }"
        )
    print(f"  {'PASSED' if result['passed'] else 'FAILED: ' + '; '.join(result['failures'])}  -> {output}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--concurrency", type=int, default=20, help="virtual users (default 20)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results file (default bench/results/load.json)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with the servers' logs")
    args = parser.parse_args()
    if args.duration < 10 or args.concurrency < 3:
        parser.error("use at least 10 seconds and 3 virtual users (one of each role)")
    sys.path.insert(0, str(PROJECT))
    return Bench(args).run()


if __name__ == "__main__":
    sys.exit(main())
