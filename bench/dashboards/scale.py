"""One scale of the dashboards bench: its database made afresh and loaded, gunicorn serving it,
and every page measured."""

import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

from bench.common.database import database_recreate
from bench.common.servers import PROJECT, django_environment, free_port, gunicorn_command, manage, wait_until
from bench.dashboards.measure import after_a_status_change, cold_and_warm, get, under_changes, warm

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
WORKERS = 2
SECRET_KEY = secrets.token_urlsafe(50)
# The pages measured at tenfold scale as well.
TENFOLD_PAGES = ("healthz", "national", "region", "trust")


def database_url(scale: str) -> str:
    """The scale's database: BENCH_DATABASE_URL (read when called, so a bench reusing this one can
    choose its own) for national scale, with the scale's name after it for the others."""
    national = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digitrack_bench_dashboards")
    return national if scale == "national" else f"{national}_{scale}"


def environment(scale: str) -> dict[str, str]:
    return django_environment(
        secret_key=SECRET_KEY,
        database_url=database_url(scale),
        redis_url=REDIS_URL,
        SECURE_SSL_REDIRECT="False",
        LOG_LEVEL="WARNING",
    )


def dashboard_pages(region: str, trust: str) -> dict[str, str]:
    """Every page the bench measures, by name, for a region and a trust of the data."""
    return {
        "healthz": "/healthz",
        "national": "/",
        "national_filtered": "/?sector=acute&exemplar=gde",
        "national_as_of": "/?as_of=2023-03-31",
        "region": f"/regions/{region}/",
        "trust": f"/trusts/{trust}/",
        "trust_list": f"/trusts/?region={region}&status=overdue",
        "api": "/api/statuses.json",
    }


def pages(scale: str, loaded: dict) -> dict[str, str]:
    every = dashboard_pages(loaded["region"], loaded["trust"])
    if scale == "national":
        return every
    return {name: every[name] for name in TENFOLD_PAGES}


def prepare(scale: str) -> dict:
    """The scale's database, made afresh and loaded; what load_scale wrote (the cookies...)."""
    print(f"[{scale}] creating the database and loading the real trusts...", flush=True)
    database_recreate(database_url(scale))
    manage(environment(scale), "migrate", "--no-input", timeout=900)
    manage(environment(scale), "import_ods", "trusts/data/etr.csv", timeout=900)
    manage(environment(scale), "collectstatic", "--no-input", "--verbosity", "0", timeout=900)
    print(f"[{scale}] loading synthetic history (labelled synthetic)...", flush=True)
    with tempfile.NamedTemporaryFile(suffix=".json") as handle:
        subprocess.run(
            [sys.executable, "-m", "bench.dashboards", "--load-scale", scale, "--load-output", handle.name],
            cwd=PROJECT,
            env=environment(scale),
            check=True,
            timeout=1800,
        )
        loaded = json.loads(Path(handle.name).read_text())
    # As a database in service is: vacuumed and analysed, so autovacuum does not start on the
    # freshly loaded tables in the middle of the first measurements (it did: half their throughput).
    with psycopg.connect(database_url(scale), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return loaded


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


@contextlib.contextmanager
def serving(scale: str, cookies: str) -> Iterator[int]:
    """gunicorn on the scale's database (production settings) for the duration; yields its port."""
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / f"digitrack-bench-dashboards-{scale}.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        gunicorn_command(port, workers=WORKERS),
        cwd=PROJECT,
        env=environment(scale),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def answers() -> bool:
        try:
            return get(port, "/healthz", cookies)[0] == 200
        except OSError:
            return False

    try:
        if not wait_until(answers, 30):
            raise RuntimeError("gunicorn did not answer /healthz")
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_scale(scale: str, args, script: Path) -> dict:
    loaded = prepare(scale)
    cookies = cookie_header(loaded["cookies"])
    results, skipped = {}, {}
    with serving(scale, cookies) as port, psycopg.connect(database_url(scale), autocommit=True) as conn:
        for name, path in pages(scale, loaded).items():
            status = get(port, path, cookies)[0]
            if status != 200:
                skipped[name] = f"{path} answered {status}"
                print(f"[{scale}] skipping {name}: {skipped[name]}", flush=True)
                continue
            print(f"[{scale}] {name} ({path})...", flush=True)
            results[name] = warm(port, path, cookies, args.duration, script)
            if name != "healthz":
                results[name].update(cold_and_warm(port, path, cookies, conn, args.cold_samples))
                changing = under_changes(port, path, cookies, conn, args.duration, script)
                results[name]["under_changes"] = changing
                results[name]["under_changes_p99_ratio_to_warm_p99"] = round(
                    changing["p99_ms"] / results[name]["p99_ms"], 2
                )
        if scale == "national":
            results["national_after_a_status_change"] = after_a_status_change(port, cookies, conn, args.cold_samples)
        # The floor once more at the end: the shared machine's pace drifts over a run (the first
        # /healthz ran at 391 req/s, the pages after it up to 372), and the faster of the two is
        # the floor every page is set against.
        print(f"[{scale}] healthz again...", flush=True)
        results["healthz_at_the_end"] = warm(port, "/healthz", cookies, args.duration, script)
    floor = max(results["healthz"], results["healthz_at_the_end"], key=lambda result: result["throughput_rps"])
    for name, result in results.items():
        if not name.startswith("healthz") and "throughput_rps" in result:
            result["throughput_share_of_healthz"] = round(result["throughput_rps"] / floor["throughput_rps"], 3)
            result["cost_vs_healthz"] = round(floor["throughput_rps"] / result["throughput_rps"], 2)
    return {"dataset": loaded["dataset"], "results": results, "skipped": skipped}
