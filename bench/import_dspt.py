"""Benchmark of importing an unseen national DSPT snapshot: 50,000 organisations of every kind
(SYNTHETIC apart from the real trusts' codes: tests/milestones/dspt_bulk.py), as CSV and as XLSX,
with `import_dspt FILE --year 2023-24`, into a database of its own (dropped and re-created each
run, BENCH_DATABASE_URL) holding the real trust register.

Each file is imported three times into a fresh snapshot (the previous one deleted, so every run
does the whole work), timing the command end to end: read, parse, match, store, report. The
aim is under 30 s. Writes bench/results/import.json with the machine's details.

Run: make bench-import (or python bench/import_dspt.py).
"""

import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digitrack_bench_import")
RESULTS = ROOT / "bench" / "results" / "import.json"
RUNS = 3
AIM_SECONDS = 30.0


def main() -> None:
    from recompute import database_recreate

    database_recreate(DATABASE_URL)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.pop("REDIS_URL", None)  # inline: no broker, local-memory cache
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitrack.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q
    from django.utils import timezone

    from milestones.models import DsptAssessment, SourceSnapshot
    from tests.milestones.dspt_bulk import YEAR, as_csv, as_xlsx, synthetic_dspt
    from trusts.models import Trust

    call_command("migrate", verbosity=0)
    call_command("import_ods", str(ROOT / "trusts" / "data" / "etr.csv"), stdout=StringIO())
    year_start = datetime.date(2023, 4, 1)
    codes = Trust.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=year_start), opened_on__lte=year_start
    ).values_list("ods_code", flat=True)
    records, expected = synthetic_dspt(sorted(codes))
    formats = {}
    with tempfile.TemporaryDirectory() as folder:
        for suffix, write in (("csv", as_csv), ("xlsx", as_xlsx)):
            path = Path(folder) / f"dspt_{YEAR}.{suffix}"
            path.write_bytes(write(records))
            seconds = []
            for _ in range(RUNS):
                SourceSnapshot.objects.all().delete()
                DsptAssessment.objects.all().delete()
                started = time.perf_counter()
                call_command("import_dspt", str(path), "--year", YEAR, stdout=StringIO(), stderr=StringIO())
                seconds.append(time.perf_counter() - started)
            snapshot = SourceSnapshot.objects.get()
            stored = Counter(DsptAssessment.objects.filter(year=YEAR).values_list("status", flat=True))
            counts_right = stored == expected.statuses
            formats[suffix] = {
                "file_bytes": path.stat().st_size,
                "seconds": [round(s, 2) for s in seconds],
                "median_seconds": round(statistics.median(seconds), 2),
                "rows_read": snapshot.rows_read,
                "rows_loaded": snapshot.rows_loaded,
                "counts_by_status_right": counts_right,
                "passed": max(seconds) < AIM_SECONDS and counts_right,
            }
            print(f"{suffix}: {formats[suffix]}")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    results = {
        "run_at": timezone.now().isoformat(timespec="seconds"),
        "data": (
            f"{expected.rows} rows: the {sum(expected.statuses.values())} real trusts open on {year_start} "
            f"(codes only) and synthetic organisations of {len(expected.not_trusts)} other kinds; statuses random"
        ),
        "command": f"import_dspt FILE --year {YEAR}",
        "aim_seconds": AIM_SECONDS,
        "formats": formats,
        "passed": all(result["passed"] for result in formats.values()),
        "machine": {
            "cpu_count": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "postgres": postgres,
            "platform": platform.platform(),
            # Other work on the machine slows the run: the 1, 5 and 15 minute load when it ended.
            "load_average": [round(load, 2) for load in os.getloadavg()],
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
