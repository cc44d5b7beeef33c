"""Benchmark of importing an unseen national DSPT snapshot: 50,000 organisations of every kind
(SYNTHETIC apart from the real trusts' codes: tests/milestones/dspt_bulk.py), as CSV and as XLSX,
with `import_dspt FILE --year 2023-24`, into a database of its own (dropped and re-created each
run, BENCH_DATABASE_URL) holding the real trust register.

Each file is imported three times into a fresh snapshot (the previous one deleted, so every run
does the whole work), timing the command end to end: read, parse, match, store, report. The
aim is under 30 s. Writes bench/results/import.json with the machine's details.

Run: make bench-import (or python -m bench.import_dspt).
"""

import datetime
import os
import statistics
import tempfile
import time
from collections import Counter
from io import StringIO
from pathlib import Path

from bench.common.database import database_with_register
from bench.common.results import machine_details, results_write
from bench.common.servers import PROJECT

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digitrack_bench_import")
RESULTS = PROJECT / "bench" / "results" / "import.json"
RUNS = 3
AIM_SECONDS = 30.0


def main() -> None:
    database_with_register(DATABASE_URL)
    from django.core.management import call_command
    from django.db.models import Q
    from django.utils import timezone

    from milestones.models import DsptAssessment, SourceSnapshot
    from tests.milestones.dspt_bulk import YEAR, as_csv, as_xlsx, synthetic_dspt
    from trusts.models import Trust

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
        "machine": machine_details(DATABASE_URL),
    }
    results_write(RESULTS, results)


if __name__ == "__main__":
    main()
