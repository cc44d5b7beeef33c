"""Dashboard benchmark: every dashboard page and the API under gunicorn, driven by wrk at
concurrency 20, beside the signed-in /healthz (the floor) in the same run, at national and at
tenfold scale.

Each scale gets a database of its own (dropped and re-created each run): every real trust of the
ODS register (trusts/data/etr.csv) and, for tenfold, nine SYNTHETIC copies of each (codes Z0001...,
names "SYNTHETIC BENCH COPY n OF <code>"), then SYNTHETIC data for all of them, labelled so: five
years of month-end compliance snapshots, current statuses and their changes for every trust and
target, and evidence submissions whose summaries start "[Synthetic benchmark]" (no files).

For each scale it starts gunicorn (2 workers, gthread) on loopback with production settings
(DEBUG off), signs a programme staff user in, and for each URL in turn:
- warm: `wrk -c20` for --duration seconds after a warm-up, recording p50, p90, p99 and req/s;
  every response must be a 200 (the URL is checked first; a page that does not exist yet, such as
  a trust list before it is built, is reported as skipped);
- cold: one request at a time with the cache generation bumped before each (as any write does),
  beside the same number of sequential warm requests: the cold / warm ratio of medians.
Results, ratios to /healthz and the machine's details go to bench/results/dashboards.json.

    python bench/dashboards.py [--duration 15] [--scales national,tenfold]
"""

import argparse
import contextlib
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
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results" / "dashboards.json"
HOST = "127.0.0.1"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digitrack_bench_dashboards")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
SYNTHETIC = "[Synthetic benchmark]"
YEARS = 5
COPIES = {"national": 0, "tenfold": 9}
CONCURRENCY = 20
WORKERS = 2
THREADS = 4
SECRET_KEY = secrets.token_urlsafe(50)
# Issue 16's aims: each page at least a third of /healthz's throughput, p99 under 100 ms, cold under
# 3x warm, tenfold national and region within 20% of national scale.
AIM_THROUGHPUT_SHARE = 1 / 3
AIM_P99_MS = 100
AIM_COLD_RATIO = 3
AIM_TENFOLD_SHARE = 0.8
# wrk prints this one JSON line when it finishes (its Lua `done` hook).
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d},"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def database_url(scale: str) -> str:
    return DATABASE_URL if scale == "national" else f"{DATABASE_URL}_{scale}"


def environment(scale: str) -> dict[str, str]:
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "digitrack.settings",
        "DEBUG": "False",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "False",
        "DATABASE_URL": database_url(scale),
        "REDIS_URL": REDIS_URL,
        "LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def recreate_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def manage(scale: str, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment(scale),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")


# --- Loading a scale (runs in a child process with Django set up on that scale's database) ---


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


def trusts_copy(copies: int) -> None:
    """SYNTHETIC copies of every real trust, in its region and ICB, labelled in their names."""
    from trusts.models import Trust

    originals = list(Trust.objects.order_by("ods_code"))
    clones, number = [], 0
    for copy in range(1, copies + 1):
        for trust in originals:
            number += 1
            clones.append(
                Trust(
                    ods_code=f"Z{number:04d}",
                    name=f"SYNTHETIC BENCH COPY {copy} OF {trust.ods_code}",
                    sector=trust.sector,
                    exemplar_status=trust.exemplar_status,
                    region_id=trust.region_id,
                    icb_id=trust.icb_id,
                    opened_on=trust.opened_on,
                    closed_on=trust.closed_on,
                )
            )
    Trust.objects.bulk_create(clones, batch_size=5000)


def load_synthetic_history(rng: random.Random) -> dict:
    """Statuses, snapshots, changes and evidence for every trust and target (SYNTHETIC), written
    a few hundred trusts at a time so tenfold scale fits in memory."""
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
    trusts = list(Trust.objects.order_by("pk"))
    targets = list(Target.objects.all())
    requirements = list(Requirement.objects.all())
    states = [ReviewState.APPROVED] * 6 + [ReviewState.REJECTED, ReviewState.SUBMITTED, ReviewState.WITHDRAWN]
    counts = dict.fromkeys(("snapshots", "statuses", "status_changes", "evidence_submissions"), 0)
    for start in range(0, len(trusts), 300):
        snapshots, statuses, changes, evidence = [], [], [], []
        for trust in trusts[start : start + 300]:
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
            for requirement in requirements:
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
                            reviewed_at=submitted + datetime.timedelta(days=3)
                            if state != ReviewState.SUBMITTED
                            else None,
                        )
                    )
        ComplianceSnapshot.objects.bulk_create(snapshots, batch_size=5000)
        ComplianceStatus.objects.bulk_create(statuses, batch_size=5000)
        ComplianceStatusChange.objects.bulk_create(changes, batch_size=5000)
        EvidenceSubmission.objects.bulk_create(evidence, batch_size=5000)
        counts["snapshots"] += len(snapshots)
        counts["statuses"] += len(statuses)
        counts["status_changes"] += len(changes)
        counts["evidence_submissions"] += len(evidence)
    return {"trusts": len(trusts), "targets": len(targets), "months": len(months), **counts}


def staff_session_cookie() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user = get_user_model().objects.create_user(
        "bench-staff", password=secrets.token_urlsafe(16), first_name="Bench", last_name="Staff"
    )
    user.groups.add(Group.objects.get(name="Programme staff"))
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def load_scale(scale: str, output: Path) -> None:
    """In a child process: Django on the scale's database; synthetic data, a session; a JSON file."""
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.cache import cache

    from trusts.models import Trust

    started = time.monotonic()
    trusts_copy(COPIES[scale])
    dataset = load_synthetic_history(random.Random(2019))
    dataset["load_seconds"] = round(time.monotonic() - started, 1)
    dataset["note"] = "Real ODS trusts; statuses, snapshots, changes and evidence are SYNTHETIC" + (
        f"; {dataset['trusts'] // (COPIES[scale] + 1) * COPIES[scale]} trusts are SYNTHETIC copies."
        if COPIES[scale]
        else "."
    )
    cache.clear()  # one Redis number serves both scales: nothing of the other may be served
    region = "Y56"
    trust = Trust.objects.filter(region__code=region).exclude(ods_code__startswith="Z").order_by("ods_code")
    output.write_text(
        json.dumps(
            {
                "dataset": dataset,
                "cookie": staff_session_cookie(),
                "region": region,
                "trust": trust.values_list("ods_code", flat=True).first(),
            }
        )
    )


# --- Driving load (the parent process: no Django, so it measures only what the server does) ---


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


def wrk(port: int, path: str, cookie: str, seconds: float, script: Path) -> dict:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONCURRENCY}",
            f"-d{round(seconds)}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            "-H",
            f"Cookie: sessionid={cookie}",
            f"http://{HOST}:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed on {path}: {result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def warm(port: int, path: str, cookie: str, seconds: float, script: Path) -> dict:
    """wrk at concurrency 20 after a short warm-up run at the same concurrency."""
    wrk(port, path, cookie, 2, script)
    report = wrk(port, path, cookie, seconds, script)
    errors = {kind: count for kind, count in report["errors"].items() if count}
    if errors:
        raise RuntimeError(f"{path} under load: {errors}")
    seconds_run = report["duration_us"] / 1e6
    return {
        "path": path,
        "requests": report["requests"],
        "throughput_rps": round(report["requests"] / seconds_run, 1),
        "p50_ms": round(report["p50_us"] / 1000, 1),
        "p90_ms": round(report["p90_us"] / 1000, 1),
        "p99_ms": round(report["p99_us"] / 1000, 1),
        "max_ms": round(report["max_us"] / 1000, 1),
        "bytes": report["bytes"] // max(1, report["requests"]),
    }


def generation_bump(conn: psycopg.Connection) -> None:
    """What every write that changes the dashboards does (milestones.cache.dashboard_generation_bump)."""
    conn.execute(
        "INSERT INTO milestones_dashboardgeneration (id, value) VALUES (1, 1) "
        "ON CONFLICT (id) DO UPDATE SET value = milestones_dashboardgeneration.value + 1"
    )


def cold_and_warm(port: int, path: str, cookie: str, conn: psycopg.Connection, samples: int) -> dict:
    """One request at a time: `samples` just after a generation bump, then `samples` warm."""
    cold = []
    for _ in range(samples):
        generation_bump(conn)
        status, seconds, _ = get(port, path, cookie)
        assert status == 200, (path, status)
        cold.append(seconds)
    sequential = []
    for _ in range(samples):
        status, seconds, _ = get(port, path, cookie)
        assert status == 200, (path, status)
        sequential.append(seconds)
    cold_ms, warm_ms = 1000 * statistics.median(cold), 1000 * statistics.median(sequential)
    return {
        "cold_median_ms": round(cold_ms, 1),
        "cold_max_ms": round(1000 * max(cold), 1),
        "sequential_warm_median_ms": round(warm_ms, 1),
        "cold_ratio_to_warm": round(cold_ms / warm_ms, 2),
    }


def after_a_status_change(port: int, cookie: str, conn: psycopg.Connection, samples: int) -> dict:
    """The national page after one trust's status changes with a bump before each request, as a
    review's recompute does (then the tables that show that status are drawn again)."""
    rng = random.Random(7)
    cycle = ["met", "on_track", "at_risk", "overdue"]
    rows = conn.execute("SELECT id, status FROM milestones_compliancestatus WHERE status = ANY(%s)", [cycle]).fetchall()
    latencies = []
    for _ in range(samples):
        index = rng.randrange(len(rows))
        pk, status = rows[index]
        status = cycle[(cycle.index(status) + 1) % len(cycle)]
        with conn.transaction():
            conn.execute("UPDATE milestones_compliancestatus SET status = %s WHERE id = %s", [status, pk])
            generation_bump(conn)
        rows[index] = (pk, status)
        code, seconds, _ = get(port, "/", cookie)
        assert code == 200, code
        latencies.append(seconds)
    return {"path": "/", "samples": samples, "median_ms": round(1000 * statistics.median(latencies), 1)}


def pages(scale: str, loaded: dict) -> dict[str, str]:
    every = {
        "healthz": "/healthz",
        "national": "/",
        "national_filtered": "/?sector=acute&exemplar=gde",
        "national_as_of": "/?as_of=2023-03-31",
        "region": f"/regions/{loaded['region']}/",
        "trust": f"/trusts/{loaded['trust']}/",
        "trust_list": f"/trusts/?region={loaded['region']}&status=overdue",
        "api": "/api/statuses.json",
    }
    if scale == "national":
        return every
    return {name: every[name] for name in ("healthz", "national", "region", "trust")}


def prepare(scale: str) -> dict:
    """The scale's database, made afresh and loaded; what load_scale wrote (a session cookie...)."""
    print(f"[{scale}] creating the database and loading the real trusts...", flush=True)
    recreate_database(database_url(scale))
    manage(scale, "migrate", "--no-input")
    manage(scale, "import_ods", "trusts/data/etr.csv")
    manage(scale, "collectstatic", "--no-input", "--verbosity", "0")
    print(f"[{scale}] loading synthetic history (labelled synthetic)...", flush=True)
    with tempfile.NamedTemporaryFile(suffix=".json") as handle:
        subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--load-scale", scale, "--load-output", handle.name],
            cwd=PROJECT,
            env=environment(scale),
            check=True,
            timeout=1800,
        )
        return json.loads(Path(handle.name).read_text())


@contextlib.contextmanager
def serving(scale: str, cookie: str) -> Iterator[int]:
    """gunicorn on the scale's database (production settings) for the duration; yields its port."""
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / f"digitrack-bench-dashboards-{scale}.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "digitrack.wsgi", "--bind", f"{HOST}:{port}"),
            *("--workers", str(WORKERS), "--worker-class", "gthread", "--threads", str(THREADS), "--timeout", "60"),
        ],
        cwd=PROJECT,
        env=environment(scale),
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
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_scale(scale: str, args, script: Path) -> dict:
    loaded = prepare(scale)
    cookie = loaded["cookie"]
    results, skipped = {}, {}
    with serving(scale, cookie) as port, psycopg.connect(database_url(scale), autocommit=True) as conn:
        for name, path in pages(scale, loaded).items():
            status = get(port, path, cookie)[0]
            if status != 200:
                skipped[name] = f"{path} answered {status}"
                print(f"[{scale}] skipping {name}: {skipped[name]}", flush=True)
                continue
            print(f"[{scale}] {name} ({path})...", flush=True)
            results[name] = warm(port, path, cookie, args.duration, script)
            if name != "healthz":
                results[name].update(cold_and_warm(port, path, cookie, conn, args.cold_samples))
                # The other reading of "cold under 3x warm": against the warm median under load.
                results[name]["cold_ratio_to_loaded_warm_p50"] = round(
                    results[name]["cold_median_ms"] / results[name]["p50_ms"], 2
                )
        if scale == "national":
            results["national_after_a_status_change"] = after_a_status_change(port, cookie, conn, args.cold_samples)
    floor = results["healthz"]
    for name, result in results.items():
        if name != "healthz" and "throughput_rps" in result:
            result["throughput_share_of_healthz"] = round(result["throughput_rps"] / floor["throughput_rps"], 3)
            result["cost_vs_healthz"] = round(floor["throughput_rps"] / result["throughput_rps"], 2)
    return {"dataset": loaded["dataset"], "results": results, "skipped": skipped}


def aims(scales: dict) -> dict:
    national = scales["national"]["results"]
    pages_met = {
        name: {
            "throughput_third_of_healthz": result["throughput_share_of_healthz"] >= AIM_THROUGHPUT_SHARE,
            "p99_under_100_ms": result["p99_ms"] < AIM_P99_MS,
            "cold_under_3x_warm": result["cold_ratio_to_warm"] < AIM_COLD_RATIO,
            "cold_under_3x_loaded_warm_p50": result["cold_ratio_to_loaded_warm_p50"] < AIM_COLD_RATIO,
        }
        for name, result in national.items()
        if "throughput_share_of_healthz" in result
    }
    report = {"pages": pages_met}
    if "tenfold" in scales:
        tenfold = scales["tenfold"]["results"]
        both = [name for name in ("healthz", "national", "region", "trust") if name in tenfold and name in national]
        report["tenfold_share_of_national"] = {
            name: round(tenfold[name]["throughput_rps"] / national[name]["throughput_rps"], 3) for name in both
        }
        # Against each scale's own floor, so a busier minute on the shared machine cancels out.
        report["tenfold_share_of_national_relative_to_healthz"] = {
            name: round(tenfold[name]["throughput_share_of_healthz"] / national[name]["throughput_share_of_healthz"], 3)
            for name in both
            if name != "healthz"
        }
        report["tenfold_within_20_percent"] = {
            name: share >= AIM_TENFOLD_SHARE
            for name, share in report["tenfold_share_of_national_relative_to_healthz"].items()
            if name != "trust"
        }
    return report


def machine() -> dict:
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres") as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "postgresql": postgres,
        "wrk": wrk_version.strip(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per URL (default %(default)s)")
    parser.add_argument("--cold-samples", type=int, default=15, help="sequential cold requests per URL")
    parser.add_argument("--scales", default="national,tenfold", help="comma-separated: national, tenfold")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--load-scale", help=argparse.SUPPRESS)
    parser.add_argument("--load-output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load_scale:
        load_scale(args.load_scale, args.load_output)
        return 0

    details = machine()
    script = Path(tempfile.gettempdir()) / "digitrack-bench-wrk-report.lua"
    script.write_text(WRK_REPORT)
    scales = {scale: run_scale(scale, args, script) for scale in args.scales.split(",")}
    details["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    report = {
        "benchmark": "dashboards",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": details,
        "server": f"gunicorn gthread, {WORKERS} workers x {THREADS} threads, DEBUG off, PostgreSQL and Redis on loopback",
        "load": {
            "generator": f"wrk -t2 -c{CONCURRENCY} -d{args.duration:g}s after a 2 s warm-up, one signed-in session cookie",
            "cold": f"{args.cold_samples} sequential requests, cache generation bumped before each; "
            "cold_ratio_to_warm is against as many sequential warm requests, cold_ratio_to_loaded_warm_p50 "
            "against the warm p50 at -c20",
        },
        "scales": scales,
        "aims": aims(scales) if "national" in scales else {},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    for scale, data in scales.items():
        for name, result in data["results"].items():
            if "throughput_rps" not in result:
                print(f"{scale:8} {name:32} median {result['median_ms']:7.1f} ms (sequential)")
                continue
            cost = f"  x{result['cost_vs_healthz']:.2f}" if "cost_vs_healthz" in result else ""
            cold = f"  cold/warm {result['cold_ratio_to_warm']:.2f}" if "cold_ratio_to_warm" in result else ""
            print(
                f"{scale:8} {name:18} p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms"
                f"  {result['throughput_rps']:7.1f} req/s{cost}{cold}"
            )
    print(json.dumps(report["aims"], indent=1))
    print(f"Written {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
