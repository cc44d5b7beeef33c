"""Servers on loopback: ports, waiting, the environment a Django process of the bench runs in,
manage.py commands and the gunicorn command line."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def django_environment(*, secret_key: str, database_url: str, redis_url: str, **settings: str) -> dict[str, str]:
    """This process's environment with production settings (DEBUG off) for a server on loopback;
    `settings` are further variables (LOG_LEVEL="WARNING"). The test runner's async flag is not
    passed on."""
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "digitrack.settings",
        "DEBUG": "False",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        **settings,
    }


def manage(environment: dict[str, str], *args: str, timeout: float = 600) -> None:
    """`manage.py *args` in a process of its own; its error output in the exception if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def gunicorn_command(port: int, *, workers: int, threads: int | None = None) -> list[str]:
    """gunicorn serving DigiTrack on loopback: production's sync workers (one request at a time
    each, every answer closing its connection, so the next request waiting is taken by whichever
    worker is free first), or threaded workers with `threads`."""
    worker_class = ("--worker-class", "gthread", "--threads", str(threads)) if threads else ("--worker-class", "sync")
    return [
        *(sys.executable, "-m", "gunicorn", "digitrack.wsgi", "--bind", f"{HOST}:{port}"),
        *("--workers", str(workers), *worker_class, "--timeout", "60"),
    ]
