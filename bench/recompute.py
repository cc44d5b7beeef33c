"""Benchmark of the compliance engine at national scale and at ten times national scale.

Loads, into a database of its own (dropped and re-created each run, BENCH_DATABASE_URL):
- every real trust from the shipped ODS extract (import_ods trusts/data/etr.csv), the
  seeded national targets and the shipped real DSPT statuses (import_dspt);
- five years of SYNTHETIC evidence for them (random, seeded, submitted by a user called
  "synthetic-bench": no real trust's real evidence);
- then a tenfold SYNTHETIC copy: nine copies of every trust with codes Z0001... and names
  "SYNTHETIC BENCH COPY n OF <code>", with copies of the synthetic evidence.

At each scale it times recompute_all run inline (statuses_recompute_all, no broker) cold (every
row new) and warm (nothing changed), and a full month-end history backfill over the five years,
counting queries, and writes bench/results/recompute.json with the machine's details.

Run: make bench-recompute (or python bench/recompute.py).
"""

import datetime
import json
import os
import platform
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digitrack_bench")
RESULTS = ROOT / "bench" / "results" / "recompute.json"
SEED = 20190107
YEARS = 5
COPIES = 9
AIMS = {"national": 2.0, "tenfold": 20.0}


def database_recreate(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    database_recreate(DATABASE_URL)
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ.pop("REDIS_URL", None)  # inline: no broker, local-memory cache
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitrack.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from milestones.models import ComplianceSnapshot, ComplianceStatus, ComplianceStatusChange, RecomputeRequest
    from milestones.services.compliance import compliance_history_backfill, statuses_recompute_all

    call_command("migrate", verbosity=0)
    quiet = open(os.devnull, "w")  # noqa: SIM115 (kept open for the whole run)
    call_command("import_ods", str(ROOT / "trusts" / "data" / "etr.csv"), stdout=quiet)
    for snapshot in ("dspt_2020-21.csv", "dspt_2021-22.csv"):
        call_command("import_dspt", str(ROOT / "milestones" / "data" / "dspt" / snapshot), stdout=quiet, stderr=quiet)
    today = timezone.localdate()
    since = today.replace(year=today.year - YEARS)

    def clear_results() -> None:
        for model in (ComplianceStatusChange, ComplianceStatus, ComplianceSnapshot, RecomputeRequest):
            model.objects.all().delete()

    def measure(label: str, action) -> dict:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            outcome = action()
            seconds = time.perf_counter() - started
        print(f"  {label}: {seconds:.2f} s, {len(queries)} queries ({outcome})")
        return {"seconds": round(seconds, 3), "queries": len(queries), "outcome": str(outcome)}

    def scale_run(scale: str) -> dict:
        from milestones.models import EvidenceSubmission, Target
        from trusts.models import Trust

        clear_results()
        trusts, targets = Trust.objects.count(), Target.objects.count()
        print(f"{scale}: {trusts} trusts, {targets} targets, {EvidenceSubmission.objects.count()} submissions")
        return {
            "trusts": trusts,
            "targets": targets,
            "evidence_submissions": EvidenceSubmission.objects.count(),
            "recompute_all_cold": measure("recompute_all, cold", lambda: statuses_recompute_all(as_of=today)),
            "recompute_all_warm": measure("recompute_all, warm", lambda: statuses_recompute_all(as_of=today)),
            "backfill": measure(
                f"backfill since {since}",
                lambda: f"{compliance_history_backfill(since=since, until=today)} snapshots",
            ),
            "aim_seconds": AIMS[scale],
        }

    rng = random.Random(SEED)
    evidence_synthesise(rng, since=since, until=today)
    national = scale_run("national")
    trusts_copy(COPIES)
    tenfold = scale_run("tenfold")

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    results = {
        "run_at": timezone.now().isoformat(timespec="seconds"),
        "as_of": today.isoformat(),
        "data": "real trusts (ODS etr.csv), seeded targets and real DSPT statuses; evidence and the tenfold copies are synthetic",
        "machine": {
            "cpu_count": os.cpu_count(),
            "processor": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "postgres": postgres,
            "platform": platform.platform(),
            # Other work on the machine slows the run: the 1, 5 and 15 minute load when it ended.
            "load_average": [round(load, 2) for load in os.getloadavg()],
        },
        "national": national,
        "tenfold": tenfold,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Written {RESULTS.relative_to(ROOT)}")


def evidence_synthesise(rng: random.Random, *, since: datetime.date, until: datetime.date) -> None:
    """Random, reproducible evidence for every trust and every uploaded-evidence requirement."""
    from django.contrib.auth import get_user_model

    from milestones.models import EvidenceSubmission, Requirement, ReviewState
    from trusts.models import Trust

    user, _ = get_user_model().objects.get_or_create(username="synthetic-bench", defaults={"is_active": False})
    requirements = list(Requirement.objects.filter(national_data_rule=""))
    span = (until - since).days
    rows = []
    for trust_id in Trust.objects.values_list("pk", flat=True):
        for requirement in requirements:
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                submitted = since + datetime.timedelta(days=rng.randrange(span))
                reviewed = submitted + datetime.timedelta(days=rng.randrange(1, 30))
                state = rng.choice([ReviewState.APPROVED] * 3 + [ReviewState.REJECTED, ReviewState.SUBMITTED])
                rows.append(
                    EvidenceSubmission(
                        trust_id=trust_id,
                        requirement=requirement,
                        file="evidence/synthetic/bench.pdf",
                        original_name="synthetic-bench.pdf",
                        size_bytes=1024,
                        sha256="0" * 64,
                        content_type="application/pdf",
                        summary="SYNTHETIC benchmark evidence",
                        valid_until=reviewed + datetime.timedelta(days=rng.choice([365, 730]))
                        if rng.random() < 0.3
                        else None,
                        submitted_by=user,
                        submitted_at=_noon(submitted),
                        state=state,
                        reviewed_by=None if state == ReviewState.SUBMITTED else user,
                        reviewed_at=None if state == ReviewState.SUBMITTED else _noon(min(reviewed, until)),
                    )
                )
    EvidenceSubmission.objects.bulk_create(rows, batch_size=5000)


def trusts_copy(copies: int) -> None:
    """Nine SYNTHETIC copies of every real trust, with their synthetic evidence and DSPT statuses."""
    from milestones.models import DsptAssessment, EvidenceSubmission
    from trusts.models import Trust

    originals = list(Trust.objects.all())
    clones = []
    number = 0
    for copy in range(1, copies + 1):
        for trust in originals:
            number += 1
            clones.append(
                Trust(
                    ods_code=f"Z{number:04d}",
                    name=f"SYNTHETIC BENCH COPY {copy} OF {trust.ods_code}",
                    sector=trust.sector,
                    region_id=trust.region_id,
                    icb_id=trust.icb_id,
                    opened_on=trust.opened_on,
                    closed_on=trust.closed_on,
                )
            )
    Trust.objects.bulk_create(clones, batch_size=5000)
    clone_ids = {clone.ods_code: clone.pk for clone in Trust.objects.filter(ods_code__startswith="Z")}
    fields = [f.attname for f in EvidenceSubmission._meta.concrete_fields if not f.primary_key]
    by_trust: dict[int, list[dict]] = {}
    for values in EvidenceSubmission.objects.filter(trust__in=originals).values(*fields):
        by_trust.setdefault(values["trust_id"], []).append(values)
    rows = []
    number = 0
    for _copy in range(copies):
        for trust in originals:
            number += 1
            for values in by_trust.get(trust.pk, ()):
                rows.append(EvidenceSubmission(**{**values, "trust_id": clone_ids[f"Z{number:04d}"]}))
    EvidenceSubmission.objects.bulk_create(rows, batch_size=5000)
    dspt_fields = [f.attname for f in DsptAssessment._meta.concrete_fields if not f.primary_key]
    dspt_by_trust: dict[int, list[dict]] = {}
    for values in DsptAssessment.objects.values(*dspt_fields):
        dspt_by_trust.setdefault(values["trust_id"], []).append(values)
    copied, number = [], 0
    for _copy in range(copies):
        for trust in originals:
            number += 1
            for values in dspt_by_trust.get(trust.pk, ()):
                copied.append(DsptAssessment(**{**values, "trust_id": clone_ids[f"Z{number:04d}"]}))
    DsptAssessment.objects.bulk_create(copied, batch_size=5000)


def _noon(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


if __name__ == "__main__":
    main()
