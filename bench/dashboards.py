"""Dashboard benchmark: national, regional and trust pages under gunicorn with PostgreSQL at
national scale, against a trivial Django view (/healthz) on the same server.

Into a database of its own (dropped and re-created each run, BENCH_DATABASE_URL) it loads every
real trust of the ODS register (trusts/data/etr.csv), then SYNTHETIC data, labelled so: five years
of month-end compliance snapshots, current statuses and their changes for every trust and target,
and evidence submissions whose summaries start "[Synthetic benchmark]" (no files are written).
It starts gunicorn on loopback, and a load generator in this process (threads with http.client)
requests each page a bounded number of times within a bounded time. It records the median and
95th percentile latency and the throughput of each page beside those of /healthz, with the ratio,
in bench/results/dashboards.json.

    python bench/dashboards.py --requests 300 --concurrency 4
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results" / "dashboards.json"
HOST = "127.0.0.1"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digitrack_bench_dashboards")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
SYNTHETIC = "[Synthetic benchmark]"
YEARS = 5
AIM_P95_MS = 150
AIM_RATIO = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def recreate_database() -> None:
    base, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def environment() -> dict[str, str]:
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "digitrack.settings",
        "DEBUG": "False",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "False",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "LOG_LEVEL": "WARNING",
    }


SECRET_KEY = secrets.token_urlsafe(50)


def manage(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def month_ends(until: datetime.date, count: int) -> list[datetime.date]:
    ends, day = [], until.replace(day=1) - datetime.timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return ends[::-1]


def synthetic_status(month: datetime.date, met_on: datetime.date | None, deadline: datetime.date) -> str:
    if met_on is not None and met_on <= month:
        return "met"
    if month > deadline:
        return "overdue"
    return "at_risk" if (deadline - month).days < 90 else "on_track"


def load_synthetic_history(rng: random.Random) -> dict:
    """Statuses, snapshots, changes and evidence for every trust and target (SYNTHETIC)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from milestones.models import (
        ComplianceSnapshot,
        ComplianceStatus,
        ComplianceStatusChange,
        EvidenceSubmission,
        Requirement,
        ReviewState,
        Target,
    )
    from trusts.models import Trust

    today = timezone.localdate()
    now = timezone.now()
    months = month_ends(today, 12 * YEARS)
    user = get_user_model().objects.create_user("bench-synthetic", password=secrets.token_urlsafe(16))
    trusts = list(Trust.objects.all())
    targets = list(Target.objects.all())
    snapshots, statuses, changes = [], [], []
    for trust in trusts:
        for target in targets:
            if rng.random() < 0.03:
                met_on, applicable = None, False
            else:
                applicable = True
                span = (target.deadline - months[0]).days + 400
                met_on = months[0] + datetime.timedelta(days=rng.randrange(span)) if rng.random() < 0.85 else None
            previous = ""
            for month in months:
                value = synthetic_status(month, met_on, target.deadline) if applicable else "not_applicable"
                snapshots.append(ComplianceSnapshot(trust=trust, target=target, as_of=month, status=value))
                if value != previous:
                    moment = datetime.datetime.combine(month, datetime.time(2), tzinfo=datetime.UTC)
                    changes.append(
                        ComplianceStatusChange(
                            trust=trust,
                            target=target,
                            old_status=previous,
                            new_status=value,
                            reason=f"{SYNTHETIC} status change",
                            changed_at=moment,
                        )
                    )
                    previous = value
            current = synthetic_status(today, met_on, target.deadline) if applicable else "not_applicable"
            statuses.append(
                ComplianceStatus(
                    trust=trust,
                    target=target,
                    status=current,
                    requirements_total=3,
                    requirements_met=3 if current == "met" else rng.randrange(3),
                    reason=f"{SYNTHETIC} status",
                    met_on=met_on if current == "met" else None,
                    computed_at=now,
                    changed_at=now,
                )
            )
    ComplianceSnapshot.objects.bulk_create(snapshots, batch_size=5000)
    ComplianceStatus.objects.bulk_create(statuses, batch_size=5000)
    ComplianceStatusChange.objects.bulk_create(changes, batch_size=5000)

    evidence = []
    states = [ReviewState.APPROVED] * 6 + [ReviewState.REJECTED, ReviewState.SUBMITTED, ReviewState.WITHDRAWN]
    for trust in trusts:
        for requirement in Requirement.objects.all():
            for _ in range(rng.randrange(4)):
                submitted = now - datetime.timedelta(days=rng.randrange(365 * YEARS))
                state = rng.choice(states)
                evidence.append(
                    EvidenceSubmission(
                        trust=trust,
                        requirement=requirement,
                        file="synthetic/none.pdf",
                        original_name="synthetic.pdf",
                        size_bytes=1,
                        sha256="0" * 64,
                        content_type="application/pdf",
                        summary=f"{SYNTHETIC} evidence, no file",
                        submitted_by=user,
                        submitted_at=submitted,
                        state=state,
                        reviewed_by=user if state in (ReviewState.APPROVED, ReviewState.REJECTED) else None,
                        reviewed_at=submitted + datetime.timedelta(days=3) if state != ReviewState.SUBMITTED else None,
                    )
                )
    EvidenceSubmission.objects.bulk_create(evidence, batch_size=5000)
    return {
        "trusts": len(trusts),
        "targets": len(targets),
        "months": len(months),
        "snapshots": len(snapshots),
        "statuses": len(statuses),
        "status_changes": len(changes),
        "evidence_submissions": len(evidence),
    }


def staff_session_cookie() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user = get_user_model().objects.create_user("bench-staff", password=secrets.token_urlsafe(16))
    user.groups.add(Group.objects.get(name="Programme staff"))
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def get(port: int, path: str, cookie: str) -> tuple[int, float, int]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": f"sessionid={cookie}", "Host": HOST})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, time.perf_counter() - started, len(body)


def drive(port: int, path: str, cookie: str, requests: int, concurrency: int, max_seconds: float) -> dict:
    """`requests` GETs from `concurrency` threads, stopping early at `max_seconds`."""
    for _ in range(10):  # warm the workers and the cache
        get(port, path, cookie)
    latencies, statuses, lock = [], {}, threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + max_seconds

    def worker():
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            status, seconds, _ = get(port, path, cookie)
            with lock:
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "path": path,
        "requests": len(latencies),
        "statuses": {str(code): count for code, count in statuses.items()},
        "median_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * ordered[max(0, int(0.95 * len(ordered)) - 1)], 1),
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "bytes": get(port, path, cookie)[2],
    }


def cold_national(port: int, cookie: str, samples: int, *, change_a_status: bool) -> dict:
    """The national page with its cached parts made stale before every request (one at a time):
    by a bare generation bump, or by one trust's status changing with it, as a review's recompute
    does (then the tables that show that status are rendered again; the others are not)."""
    from django.db import transaction

    from milestones.cache import dashboard_generation_bump
    from milestones.models import ComplianceStatus, Status

    rng = random.Random(7)
    changeable = [Status.MET, Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE]
    statuses = list(ComplianceStatus.objects.filter(status__in=changeable).values_list("pk", "status"))
    latencies = []
    for _ in range(samples):
        with transaction.atomic():
            if change_a_status:
                index = rng.randrange(len(statuses))
                pk, status = statuses[index]
                status = changeable[(changeable.index(status) + 1) % len(changeable)]
                ComplianceStatus.objects.filter(pk=pk).update(status=status)
                statuses[index] = (pk, status)
            dashboard_generation_bump()
        status_code, seconds, _ = get(port, "/", cookie)
        assert status_code == 200, status_code
        latencies.append(seconds)
    ordered = sorted(latencies)
    how = "one status changed" if change_a_status else "cache generation bumped"
    return {
        "path": f"/ ({how} before each request)",
        "requests": samples,
        "median_ms": round(1000 * statistics.median(ordered), 1),
        "p95_ms": round(1000 * ordered[max(0, int(0.95 * samples) - 1)], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=300, help="requests per page (default %(default)s)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default %(default)s)")
    parser.add_argument("--max-seconds", type=float, default=60, help="time cap per page (default %(default)s)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default %(default)s)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    print("Creating the benchmark database and loading the real trusts...", flush=True)
    recreate_database()
    manage("migrate", "--no-input")
    manage("import_ods", "trusts/data/etr.csv")
    manage("collectstatic", "--no-input", "--verbosity", "0")
    os.environ.update(environment())
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.cache import cache

    from trusts.models import Trust

    print("Loading synthetic history (labelled synthetic)...", flush=True)
    started = time.monotonic()
    dataset = load_synthetic_history(random.Random(2019))
    dataset["load_seconds"] = round(time.monotonic() - started, 1)
    cache.clear()
    cookie = staff_session_cookie()
    region = "Y56"
    trust = Trust.objects.filter(region__code=region).order_by("ods_code").values_list("ods_code", flat=True).first()
    from django.db import connections

    connections.close_all()

    port = free_port()
    log = open(Path(tempfile.gettempdir()) / "digitrack-bench-dashboards-gunicorn.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "digitrack.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--timeout",
            "60",
        ],
        cwd=PROJECT,
        env=environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(150):
            try:
                if get(port, "/healthz", cookie)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer /healthz")
        pages = {
            "trivial": "/healthz",
            "national": "/",
            "national_filtered": "/?sector=acute&exemplar=gde",
            "national_as_of": "/?as_of=2023-03-31",
            "region": f"/regions/{region}/",
            "trust": f"/trusts/{trust}/",
        }
        results = {}
        for name, path in pages.items():
            print(f"Driving {name} ({path})...", flush=True)
            results[name] = drive(port, path, cookie, args.requests, args.concurrency, args.max_seconds)
            if set(results[name]["statuses"]) != {"200"}:
                raise RuntimeError(f"{path} answered {results[name]['statuses']}")
        results["national_cold"] = cold_national(port, cookie, samples=20, change_a_status=False)
        results["national_after_a_status_change"] = cold_national(port, cookie, samples=20, change_a_status=True)
    finally:
        server.terminate()
        server.wait(timeout=30)

    trivial = results["trivial"]
    for name, result in results.items():
        if name != "trivial" and "median_ms" in result:
            result["p95_ratio_to_trivial"] = round(result["p95_ms"] / trivial["p95_ms"], 2)
            result["median_ratio_to_trivial"] = round(result["median_ms"] / trivial["median_ms"], 2)
    national = results["national"]
    report = {
        "benchmark": "dashboards",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "server": f"gunicorn gthread, {args.workers} workers x 4 threads, DEBUG off, PostgreSQL and Redis on loopback",
        "load": {"requests_per_page": args.requests, "concurrency": args.concurrency, "max_seconds": args.max_seconds},
        "dataset": {**dataset, "note": "Real ODS trusts; statuses, snapshots, changes and evidence are SYNTHETIC."},
        "results": results,
        "aim": {
            "national_p95_ms": AIM_P95_MS,
            "national_p95_ratio_to_trivial": AIM_RATIO,
            "national_p95_met": national["p95_ms"] < AIM_P95_MS,
            "national_ratio_met": national["p95_ratio_to_trivial"] <= AIM_RATIO,
        },
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    for name, result in results.items():
        ratio = f", p95 x{result['p95_ratio_to_trivial']} trivial" if "p95_ratio_to_trivial" in result else ""
        rps = f", {result['throughput_rps']} req/s" if "throughput_rps" in result else ""
        print(f"{name:18} median {result['median_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms{rps}{ratio}")
    print(f"Written {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
