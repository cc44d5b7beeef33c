"""python -m bench.load: the run, from the servers' start to the report."""

import argparse
import datetime
import sys
import tempfile
import threading
import time
from pathlib import Path

import bench.load
from bench.common.results import results_write
from bench.common.servers import PROJECT
from bench.load.checks import queue_drain, responses_summary, verify
from bench.load.faults import Fault, faults_judged, faults_run, killed_task_check
from bench.load.stack import Stack
from bench.load.users import Cast, Record, cast_create, virtual_user

RESULTS = PROJECT / "bench" / "results" / "load.json"


def drive(stack: Stack, cast: Cast, record: Record, faults: list[Fault], failures: list[str], duration: int) -> float:
    """Every virtual user for `duration` seconds, the faults beside them; the seconds it took."""
    started = time.monotonic()
    deadline = started + duration
    count = sum(len(users) for users in cast.users.values())
    threads = [
        threading.Thread(
            target=virtual_user, args=(stack.web_port, record, cast, index, deadline, failures), daemon=True
        )
        for index in range(count)
    ]
    faulting = threading.Thread(target=faults_run, args=(stack, faults, started, duration), daemon=True)
    for thread in threads:
        thread.start()
    faulting.start()
    for thread in threads:
        thread.join(duration + 120)
    faulting.join(120)
    return time.monotonic() - started


def run(args: argparse.Namespace) -> int:
    started_at = datetime.datetime.now(datetime.UTC)
    stack = Stack(Path(tempfile.mkdtemp(prefix="digitrack-load-")))
    record, faults, failures = Record(), [], []
    try:
        stack.start()
        cast = cast_create(args.concurrency)
        stack.serve()
        elapsed = drive(stack, cast, record, faults, failures, args.duration)
        drain = queue_drain(stack)
        killed_task_check(stack, faults)
        checks = verify(record, stack.media)
        web_errors = stack.web_errors()
    finally:
        stack.stop(keep=args.keep)
    responses = responses_summary(record, faults)
    judged = faults_judged(faults, responses, checks)
    if len(judged) != 3:
        failures.append("not every fault case ran (the run was too short?)")
    if responses["unexpected_5xx_or_no_answer"]:
        failures.append(f"{responses['unexpected_5xx_or_no_answer']} unexpected 5xx or unanswered requests")
    if not checks["uploads"]["ok"]:
        failures.append("uploads lost, duplicated or corrupted, or files on disk without a row")
    if not drain["drained"]:
        failures.append("the queue did not drain")
    if not checks["statuses"]["ok"]:
        failures.append("final compliance statuses do not reflect every approval")
    failures += [f"fault not survived: {f['name']}" for f in judged if not f["survived"]]
    result = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "duration_seconds": args.duration,
        "elapsed_seconds": round(elapsed, 1),
        "concurrency": args.concurrency,
        "users": {role: len(users) for role, users in cast.users.items()},
        "requests": responses,
        "requests_per_second": round(responses["total"] / elapsed, 1),
        "drain": drain,
        "checks": checks,
        "faults": judged,
        # Restarts by the supervisor, as docker-compose.yml's restart policy would.
        "worker_restarts": stack.worker_restarts,
        "web_errors": web_errors,
        "failures": failures,
        "passed": not failures,
    }
    summary_print(result)
    results_write(args.output, result)
    return 0 if not failures else 1


def summary_print(result: dict) -> None:
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
    print(f"  web errors logged: {len(result['web_errors'])}")
    for error in result["web_errors"][:10]:
        print(f"    {error}")
    for fault in result["faults"]:
        print(
            f"  fault: {fault['name']}: {'survived' if fault['survived'] else 'NOT SURVIVED'} "
            f"{ {k: v for k, v in fault.items() if k not in {'name', 'survived'}} }"
        )
    print(f"  {'PASSED' if result['passed'] else 'FAILED: ' + '; '.join(result['failures'])}")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=bench.load.__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--concurrency", type=int, default=20, help="virtual users (default 20)")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results file (default bench/results/load.json)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder with the servers' logs")
    args = parser.parse_args()
    if args.duration < 10 or args.concurrency < 3:
        parser.error("use at least 10 seconds and 3 virtual users (one of each role)")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
