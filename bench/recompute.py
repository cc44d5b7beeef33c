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

Run: make bench-recompute (or python -m bench.recompute).
"""

import datetime
import os
import random
import time

from bench.common.database import database_with_register
from bench.common.results import machine_details, results_write
from bench.common.servers import PROJECT
from bench.common.synthetic import evidence_without_file, trusts_copy

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digitrack_bench")
RESULTS = PROJECT / "bench" / "results" / "recompute.json"
SEED = 20190107
YEARS = 5
COPIES = 9
AIMS = {"national": 2.0, "tenfold": 20.0}


def main() -> None:
    database_with_register(DATABASE_URL)
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from milestones.models import (
        ComplianceSnapshot,
        ComplianceStatus,
        ComplianceStatusChange,
        DsptAssessment,
        EvidenceSubmission,
        RecomputeRequest,
        Target,
    )
    from milestones.services.compliance import compliance_history_backfill, statuses_recompute_all
    from trusts.models import Trust

    quiet = open(os.devnull, "w")  # noqa: SIM115 (kept open for the whole run)
    for snapshot in ("dspt_2020-21.csv", "dspt_2021-22.csv"):
        path = PROJECT / "milestones" / "data" / "dspt" / snapshot
        call_command("import_dspt", str(path), stdout=quiet, stderr=quiet)
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
    # The copies get their real trust's synthetic evidence and real DSPT statuses.
    copies = trusts_copy(COPIES)
    for model in (EvidenceSubmission, DsptAssessment):
        trust_rows_copy(model, copies)
    tenfold = scale_run("tenfold")

    results = {
        "run_at": timezone.now().isoformat(timespec="seconds"),
        "as_of": today.isoformat(),
        "data": "real trusts (ODS etr.csv), seeded targets and real DSPT statuses; evidence and the tenfold copies are synthetic",
        "machine": machine_details(DATABASE_URL),
        "national": national,
        "tenfold": tenfold,
    }
    results_write(RESULTS, results)


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
                row = evidence_without_file(
                    trust_id,
                    requirement,
                    user,
                    summary="SYNTHETIC benchmark evidence",
                    state=state,
                    submitted_at=_noon(submitted),
                    reviewed_at=None if state == ReviewState.SUBMITTED else _noon(min(reviewed, until)),
                )
                if rng.random() < 0.3:
                    row.valid_until = reviewed + datetime.timedelta(days=rng.choice([365, 730]))
                rows.append(row)
    EvidenceSubmission.objects.bulk_create(rows, batch_size=5000)


def trust_rows_copy(model, copies: list[tuple[int, int]]) -> None:
    """Each real trust's rows of `model` again for each of its copies ((real id, copy id) pairs)."""
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    by_trust: dict[int, list[dict]] = {}
    for values in model.objects.filter(trust_id__in={real for real, _ in copies}).values(*fields):
        by_trust.setdefault(values["trust_id"], []).append(values)
    rows = [model(**{**values, "trust_id": copy}) for real, copy in copies for values in by_trust.get(real, ())]
    model.objects.bulk_create(rows, batch_size=5000)


def _noon(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


if __name__ == "__main__":
    main()
