"""python -m bench.dashboards: run the scales, judge the aims, write the report."""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

import bench.dashboards
from bench.common.database import postgres_version
from bench.common.results import load_average, results_write
from bench.common.servers import PROJECT
from bench.dashboards.history import load_scale
from bench.dashboards.measure import CHANGE_EVERY_SECONDS, CONCURRENCY, WRK_REPORT
from bench.dashboards.scale import TENFOLD_PAGES, WORKERS, database_url, run_scale

RESULTS = PROJECT / "bench" / "results" / "dashboards.json"
# Issue 16's aims: each page at least a third of /healthz's throughput, p99 under 100 ms, cold under
# 3x warm (at -c20: the p99 with a change every second against the warm p99; one request at a time,
# a render against a cached answer is reported beside it, not judged), tenfold national and region
# within 20% of national scale.
AIM_THROUGHPUT_SHARE = 1 / 3
AIM_P99_MS = 100
AIM_COLD_RATIO = 3
AIM_TENFOLD_SHARE = 0.8


def aims(scales: dict) -> dict:
    national = scales["national"]["results"]
    pages_met = {
        name: {
            "throughput_third_of_healthz": result["throughput_share_of_healthz"] >= AIM_THROUGHPUT_SHARE,
            "p99_under_100_ms": result["p99_ms"] < AIM_P99_MS,
            "cold_under_3x_warm": result["under_changes_p99_ratio_to_warm_p99"] < AIM_COLD_RATIO,
        }
        for name, result in national.items()
        if "throughput_share_of_healthz" in result
    }
    report = {"pages": pages_met}
    if "tenfold" in scales:
        tenfold = scales["tenfold"]["results"]
        both = [name for name in TENFOLD_PAGES if name in tenfold and name in national]
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
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "postgresql": postgres_version(database_url("national")),
        "wrk": wrk_version.strip(),
        "load_average_at_start": load_average(),
    }


def table_print(scales: dict) -> None:
    for scale, data in scales.items():
        for name, result in data["results"].items():
            if "throughput_rps" not in result:
                print(f"{scale:8} {name:32} median {result['median_ms']:7.1f} ms (sequential)")
                continue
            cost = f"  x{result['cost_vs_healthz']:.2f}" if "cost_vs_healthz" in result else ""
            cold = (
                f"  p99 under changes {result['under_changes']['p99_ms']:6.1f} ms"
                f" (x{result['under_changes_p99_ratio_to_warm_p99']:.2f})"
                if "under_changes" in result
                else ""
            )
            print(
                f"{scale:8} {name:18} p50 {result['p50_ms']:6.1f} ms  p99 {result['p99_ms']:6.1f} ms"
                f"  {result['throughput_rps']:7.1f} req/s{cost}{cold}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.dashboards",
        description=bench.dashboards.__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
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
    details["load_average_at_end"] = load_average()
    report = {
        "benchmark": "dashboards",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": details,
        "server": f"gunicorn, {WORKERS} sync workers (production's worker class), DEBUG off, PostgreSQL and Redis on loopback",
        "load": {
            "generator": f"wrk -t2 -c{CONCURRENCY} -d{args.duration:g}s after a 2 s warm-up, one signed-in session (its session and CSRF cookies)",
            "under_changes": f"wrk as above with the cache generation bumped every {CHANGE_EVERY_SECONDS:g} s "
            "(as any write does); under_changes_p99_ratio_to_warm_p99 against the warm run",
            "cold": f"{args.cold_samples} sequential requests, cache generation bumped before each; "
            "cold_ratio_to_warm is against as many sequential warm requests (one render against one cached answer)",
        },
        "scales": scales,
        "aims": aims(scales) if "national" in scales else {},
    }
    results_write(args.output, report)
    table_print(scales)
    print(json.dumps(report["aims"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
