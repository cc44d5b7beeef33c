"""Everything the load runs against, on loopback: the private PostgreSQL and Redis, gunicorn and
two Celery workers (started again when they exit, as docker-compose.yml's restart policy does)."""

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.common.servers import PROJECT, django_environment, free_port, gunicorn_command, manage, wait_until
from bench.load.servers import PrivatePostgres, PrivateRedis
from bench.load.users import Browser, Record

WORKERS = ("worker1", "worker2")


def broker_call(call):
    """A Celery call from this process; None while the broker cannot be reached."""
    import kombu.exceptions
    import redis

    from digitrack.celery import app

    try:
        return call(app)
    except (redis.exceptions.ConnectionError, kombu.exceptions.OperationalError, OSError):
        return None


class Stack:
    """The servers and processes of one run, their logs in `folder`."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.media = folder / "media"
        self.postgres = PrivatePostgres(folder)
        self.redis = PrivateRedis(folder)
        self.web_port = free_port()
        self.secret_key = secrets.token_urlsafe(50)
        self.processes: dict[str, subprocess.Popen] = {}
        self.worker_restarts: list[dict] = []
        self.stopping = threading.Event()
        self.supervisor: threading.Thread | None = None

    def environment(self) -> dict[str, str]:
        return django_environment(
            secret_key=self.secret_key,
            database_url=self.postgres.url,
            redis_url=self.redis.url,
            MEDIA_ROOT=str(self.media),
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            LOG_LEVEL="INFO",
            # The run sends the outbox drain once, right after the load: let it take requests of any age.
            RECOMPUTE_DRAIN_MIN_AGE_SECONDS="0",
        )

    def start(self) -> None:
        """The databases, migrated and holding the real trust register; Django set up in this process."""
        self.postgres.start()
        self.redis.start()
        for command in (
            ("migrate", "--no-input"),
            ("import_ods", "trusts/data/etr.csv"),
            ("collectstatic", "--no-input", "--verbosity", "0"),
        ):
            manage(self.environment(), *command)
        os.environ.update(self.environment())
        import django

        django.setup()
        from digitrack.celery import app

        # This process's own broker calls: no pooled connection to go stale when Redis restarts.
        app.conf.broker_pool_limit = None

    def serve(self) -> None:
        """gunicorn and the workers, once they answer; the workers' supervisor."""
        self._spawn("web", gunicorn_command(self.web_port, workers=3, threads=6))
        for name in WORKERS:
            self._start_worker(name)
        if not wait_until(lambda: self.http_status("/readyz")[0] == 200, 60):
            raise RuntimeError("the web server did not become ready")
        if not wait_until(
            lambda: len(broker_call(lambda app: app.control.ping(timeout=1)) or []) == 2, 60, interval=0.5
        ):
            raise RuntimeError("the Celery workers did not answer")
        self.supervisor = threading.Thread(target=self._supervise_workers, args=(time.monotonic(),), daemon=True)
        self.supervisor.start()

    def stop(self, keep: bool) -> None:
        """Everything stopped; the folder removed unless `keep`."""
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
        if not keep:
            shutil.rmtree(self.folder, ignore_errors=True)

    def http_status(self, path: str) -> tuple[int, str]:
        status, text, _ = Browser(self.web_port, Record()).request("probe", "GET", path)
        return status, text

    def task_log_counts(self, task_id: str) -> tuple[int, int]:
        """How often the workers' JSON logs say a task was received and succeeded (Celery logs
        "Task name[id] received" for each delivery and "... succeeded in" for each success)."""
        logs = [log.read_text(errors="replace") for log in self.folder.glob("worker*.log")]
        return (
            sum(text.count(f"[{task_id}] received") for text in logs),
            sum(text.count(f"[{task_id}] succeeded in ") for text in logs),
        )

    def _spawn(self, name: str, command: list[str]) -> None:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen(
            command, cwd=PROJECT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def _start_worker(self, name: str) -> None:
        self._spawn(
            name,
            [
                *(sys.executable, "-m", "celery", "--app", "digitrack", "worker", "--hostname", f"{name}@load"),
                *("--concurrency", "2", "--loglevel", "INFO"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
        )

    def _supervise_workers(self, started: float) -> None:
        """Start a worker again when it exits, as docker-compose.yml's restart policy does, and
        record when and why (the last error it logged)."""
        while not self.stopping.wait(0.5):
            for name in WORKERS:
                exit_code = self.processes[name].poll()
                if exit_code is not None and not self.stopping.is_set():
                    self.worker_restarts.append(
                        {
                            "worker": name,
                            "exit_code": exit_code,
                            "at_seconds": round(time.monotonic() - started, 1),
                            "last_error": self._last_error(name),
                        }
                    )
                    self._start_worker(name)

    def _errors(self, name: str) -> list[dict]:
        """What a process logged at ERROR or CRITICAL (its JSON log lines), first first."""
        return [
            json.loads(line)
            for line in (self.folder / f"{name}.log").read_text(errors="replace").splitlines()
            if '"level": "CRITICAL"' in line or '"level": "ERROR"' in line
        ]

    def _last_error(self, name: str) -> str | None:
        errors = self._errors(name)
        return errors[-1]["message"] if errors else None

    def web_errors(self) -> list[str]:
        """Each 5xx the web server logged (Django's "Internal Server Error: /path"), with when and
        the last line of its exception: why a request failed, without keeping the logs (the
        cache's ignored Redis errors during the outage are left out)."""
        return [
            f"{error['time']} {error['message']}: {((error.get('exception') or '').strip().splitlines() or [''])[-1]}"
            for error in self._errors("web")
            if error.get("logger") == "django.request"
        ]
