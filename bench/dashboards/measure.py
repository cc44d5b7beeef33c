"""Measuring a page from outside the server: wrk under load, and one request at a time around
cache generation bumps. No Django here, so only what the server does is measured."""

import http.client
import json
import random
import statistics
import subprocess
import threading
import time
from pathlib import Path

import psycopg

from bench.common.servers import HOST

CONCURRENCY = 20
# How often a write changes what the dashboards show while a page is measured under changes: far
# more often than a programme office writes (a review, an import, a recompute), so every few
# dozen answers come just after a change.
CHANGE_EVERY_SECONDS = 1.0
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


def get(port: int, path: str, cookies: str) -> tuple[int, float, int]:
    """One signed-in GET (`cookies` as a Cookie header): status, seconds and body size."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookies, "Host": HOST})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, time.perf_counter() - started, len(body)


def wrk(port: int, path: str, cookies: str, seconds: float, script: Path) -> dict:
    """One wrk run: its report."""
    command = [
        *("wrk", "-t2", f"-c{CONCURRENCY}", f"-d{round(seconds)}s", "--timeout", "10s", "-s", str(script)),
        *("-H", f"Cookie: {cookies}", f"http://{HOST}:{port}{path}"),
    ]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed on {path}: {finished.stderr}")
    return json.loads(finished.stdout.strip().splitlines()[-1])


def warm(port: int, path: str, cookies: str, seconds: float, script: Path) -> dict:
    """wrk at concurrency 20 after a short warm-up run at the same concurrency."""
    wrk(port, path, cookies, 2, script)
    return {"path": path, **_summary(path, wrk(port, path, cookies, seconds, script))}


def under_changes(port: int, path: str, cookies: str, conn: psycopg.Connection, seconds: float, script: Path) -> dict:
    """wrk at concurrency 20 while the cache generation is bumped every CHANGE_EVERY_SECONDS, as
    any write does: after each change the page is cold, one request renders it while the others
    are answered with its most recent render, so the slowest answers are those just after a change."""
    stop, changes = threading.Event(), []

    def change() -> None:
        while not stop.wait(CHANGE_EVERY_SECONDS):
            generation_bump(conn)
            changes.append(1)

    changer = threading.Thread(target=change)
    changer.start()
    try:
        report = wrk(port, path, cookies, seconds, script)
    finally:
        stop.set()
        changer.join()
    return {"changes": len(changes), **_summary(path, report)}


def _summary(path: str, report: dict) -> dict:
    errors = {kind: count for kind, count in report["errors"].items() if count}
    if errors:
        raise RuntimeError(f"{path} under load: {errors}")
    seconds_run = report["duration_us"] / 1e6
    return {
        "requests": report["requests"],
        "throughput_rps": round(report["requests"] / seconds_run, 1),
        "p50_ms": round(report["p50_us"] / 1000, 1),
        "p90_ms": round(report["p90_us"] / 1000, 1),
        "p99_ms": round(report["p99_us"] / 1000, 1),
        "max_ms": round(report["max_us"] / 1000, 1),
        "bytes": report["bytes"] // max(1, report["requests"]),
    }


def generation_bump(conn: psycopg.Connection) -> None:
    """What every write that changes the dashboards does (dashboard_generation_bump)."""
    conn.execute(
        "INSERT INTO milestones_dashboardgeneration (id, value) VALUES (1, 1) "
        "ON CONFLICT (id) DO UPDATE SET value = milestones_dashboardgeneration.value + 1"
    )


def cold_and_warm(port: int, path: str, cookies: str, conn: psycopg.Connection, samples: int) -> dict:
    """One request at a time: `samples` just after a generation bump, then `samples` warm."""
    cold = []
    for _ in range(samples):
        generation_bump(conn)
        status, seconds, _ = get(port, path, cookies)
        assert status == 200, (path, status)
        cold.append(seconds)
    sequential = []
    for _ in range(samples):
        status, seconds, _ = get(port, path, cookies)
        assert status == 200, (path, status)
        sequential.append(seconds)
    cold_ms, warm_ms = 1000 * statistics.median(cold), 1000 * statistics.median(sequential)
    return {
        "cold_median_ms": round(cold_ms, 1),
        "cold_max_ms": round(1000 * max(cold), 1),
        "sequential_warm_median_ms": round(warm_ms, 1),
        "cold_ratio_to_warm": round(cold_ms / warm_ms, 2),
    }


def after_a_status_change(port: int, cookies: str, conn: psycopg.Connection, samples: int) -> dict:
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
        code, seconds, _ = get(port, "/", cookies)
        assert code == 200, code
        latencies.append(seconds)
    return {"path": "/", "samples": samples, "median_ms": round(1000 * statistics.median(latencies), 1)}
