"""Writes of published DSPT statuses (one assessment per trust and year, history of what
changed) and of the submission deadlines their periods in force hang on."""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from trusts.models import Trust

from ..cache import dashboard_generation_bump
from ..importers.dspt import DsptRow, parse_dspt
from ..models import DsptAssessment, DsptAssessmentChange, DsptSubmissionDeadline, NationalDataRule, Target
from .recompute import recompute_request


@dataclass
class DsptImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    statuses: Counter = field(default_factory=Counter)  # (year, status) -> trusts in the register
    not_trusts: list[str] = field(default_factory=list)  # codes of organisations not in the register
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def dspt_file_import(*, path: Path, year: str | None = None) -> DsptImportSummary:
    """Read, check and store one published DSPT file (see milestones.importers.dspt)."""
    content = path.read_bytes()
    parse = parse_dspt(content.decode("utf-8-sig").splitlines(), year=year)
    summary = dspt_assessments_apply(
        rows=parse.rows, source_file=path.name, source_sha256=hashlib.sha256(content).hexdigest()
    )
    summary.errors[:0] = parse.errors
    summary.warnings = parse.warnings
    return summary


def dspt_assessments_apply(*, rows: list[DsptRow], source_file: str, source_sha256: str) -> DsptImportSummary:
    """Store the rows of one file. Idempotent: a status already stored is not written again;
    a changed one is updated and what it replaced kept as a DsptAssessmentChange. When anything
    changed, the dashboards' cache goes stale and every target met by DSPT data is recomputed
    after the commit."""
    summary = DsptImportSummary()
    now = timezone.now()
    trusts = dict(Trust.objects.filter(ods_code__in={row.code for row in rows}).values_list("ods_code", "pk"))
    with transaction.atomic():
        _dspt_years_lock(sorted({row.year for row in rows}))
        stored = {
            (a.trust_id, a.year): a
            for a in DsptAssessment.objects.select_for_update().filter(trust_id__in=trusts.values())
        }
        seen: dict[tuple[int, str], int] = {}
        new, changed, history = [], [], []
        for row in rows:
            trust_id = trusts.get(row.code)
            if trust_id is None:
                summary.not_trusts.append(row.code)
                continue
            key = (trust_id, row.year)
            if key in seen:
                summary.errors.append(
                    f"Line {row.line}: {row.code} {row.year} again (first on line {seen[key]}): ignored."
                )
                continue
            seen[key] = row.line
            summary.statuses[(row.year, row.status)] += 1
            assessment = stored.get(key)
            if assessment is None:
                new.append(
                    DsptAssessment(
                        trust_id=trust_id,
                        year=row.year,
                        status=row.status,
                        published_on=row.published_on,
                        source_file=source_file,
                        source_sha256=source_sha256,
                        imported_at=now,
                    )
                )
            elif assessment.status == row.status and row.published_on in (None, assessment.published_on):
                summary.unchanged += 1
            else:
                history.append(
                    DsptAssessmentChange(
                        assessment=assessment,
                        old_status=assessment.status,
                        old_published_on=assessment.published_on,
                        old_source_file=assessment.source_file,
                        old_source_sha256=assessment.source_sha256,
                        replaced_at=now,
                    )
                )
                assessment.status, assessment.published_on = row.status, row.published_on
                assessment.source_file, assessment.source_sha256, assessment.imported_at = (
                    source_file,
                    source_sha256,
                    now,
                )
                changed.append(assessment)
        DsptAssessment.objects.bulk_create(new)
        DsptAssessment.objects.bulk_update(
            changed, ["status", "published_on", "source_file", "source_sha256", "imported_at"]
        )
        DsptAssessmentChange.objects.bulk_create(history)
        summary.created, summary.updated = len(new), len(changed)
        if new or changed:
            _dspt_targets_recompute_request(reason=f"DSPT statuses imported from {source_file}")
            # The dashboards show the published statuses themselves, not only the statuses they drive.
            dashboard_generation_bump()
    return summary


@transaction.atomic
def dspt_deadline_save(*, deadline: DsptSubmissionDeadline) -> DsptSubmissionDeadline:
    """Save a new or edited submission deadline. When a published status is in force hangs on
    these dates, so every target with a DSPT requirement is recomputed and cached pages go stale."""
    deadline.full_clean()
    deadline.save()
    _dspt_targets_recompute_request(reason=f"DSPT {deadline.year} deadline saved")
    dashboard_generation_bump()
    return deadline


@transaction.atomic
def dspt_deadline_delete(*, deadline: DsptSubmissionDeadline) -> None:
    """Remove a submission deadline, with the same recompute as a save (see dspt_periods for
    what an assessment without its own or the next year's deadline counts for)."""
    year = deadline.year
    deadline.delete()
    _dspt_targets_recompute_request(reason=f"DSPT {year} deadline removed")
    dashboard_generation_bump()


def _dspt_targets_recompute_request(*, reason: str) -> None:
    for target in Target.objects.filter(
        requirements__national_data_rule=NationalDataRule.DSPT_MET_OR_EXCEEDED
    ).distinct():
        recompute_request(target=target, reason=reason)


def _dspt_years_lock(years: list[str]) -> None:
    """Serialise imports per assessment year until the transaction ends: of two imports adding
    the same new assessments, the second waits, then finds them stored (no IntegrityError).
    Row locks cannot do it, as the rows do not exist yet. Taken in year order, so no deadlock.
    SQLite (the embedded default) writes one transaction at a time anyway."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for year in years:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"milestones.dsptassessment:{year}"])
