"""Writes of the trusts' current DSPT statuses (one assessment per trust and year, with what
each replaced) and of the submission deadlines their periods in force hang on.

The published files themselves are stored as snapshots (milestones.services.sources), which
keep every row of every file; DsptAssessment holds, per trust and year, the status of the
newest snapshot that gives one."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from trusts.models import Trust

from ..importers.dspt import DsptRow
from ..models import (
    DsptAssessment,
    DsptAssessmentChange,
    DsptDeadlineRevision,
    DsptSubmissionDeadline,
    NationalDataRule,
    Source,
    SourceSnapshot,
    Target,
)
from .deadlines import deadline_move
from .recompute import inputs_changed

# What a file says of an assessment: stored with it, and kept as a change when a newer file replaces it.
FROM_FILE = ("status", "published_on", "source_file", "source_sha256", "imported_at")


@dataclass
class DsptImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_newer: int = 0  # statuses left as a newer snapshot gave them
    statuses: Counter = field(default_factory=Counter)  # (year, status) -> trusts in the register
    not_trusts: list[str] = field(default_factory=list)  # codes of organisations not in the register
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def dspt_assessments_apply(
    *, rows: list[DsptRow], source_file: str, source_sha256: str, as_at: datetime.date | None = None
) -> DsptImportSummary:
    """Store the rows of one file. Idempotent: a status already stored is not written again;
    a changed one is updated and what it replaced kept as a DsptAssessmentChange, unless it
    came from a snapshot as at a later day than `as_at` (an older file imported late). When
    anything changed, the change is announced (created or updated in the summary): the dashboards'
    cache goes stale and every target met by DSPT data is recomputed after the commit."""
    summary = DsptImportSummary()
    now = timezone.now()
    trusts = dict(Trust.objects.filter(ods_code__in={row.code for row in rows}).values_list("ods_code", "pk"))
    with transaction.atomic():
        _dspt_years_lock(sorted({row.year for row in rows}))
        stored = {
            (a.trust_id, a.year): a
            for a in DsptAssessment.objects.select_for_update(no_key=True).filter(trust_id__in=trusts.values())
        }
        newer = _snapshot_days(stored.values(), after=as_at)
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
            from_file = {  # FROM_FILE's values
                "status": row.status,
                "published_on": row.published_on,
                "source_file": source_file,
                "source_sha256": source_sha256,
                "imported_at": now,
            }
            if assessment is None:
                new.append(DsptAssessment(trust_id=trust_id, year=row.year, **from_file))
            elif assessment.status == row.status and row.published_on in (None, assessment.published_on):
                summary.unchanged += 1
            elif assessment.source_sha256 in newer:
                summary.kept_newer += 1
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
                for name, value in from_file.items():
                    setattr(assessment, name, value)
                changed.append(assessment)
        DsptAssessment.objects.bulk_create(new)
        DsptAssessment.objects.bulk_update(changed, list(FROM_FILE))
        DsptAssessmentChange.objects.bulk_create(history)
        summary.created, summary.updated = len(new), len(changed)
        if new or changed:
            # The dashboards show the published statuses themselves, not only the statuses they drive.
            _dspt_inputs_changed(reason=f"DSPT statuses imported from {source_file}")
    return summary


def _snapshot_days(assessments, *, after: datetime.date | None) -> set[str]:
    """The files (SHA-256) among those the assessments came from stored as snapshots as at a
    day later than `after`."""
    if after is None:
        return set()
    return set(
        SourceSnapshot.objects.filter(
            source=Source.DSPT, sha256__in={a.source_sha256 for a in assessments}, as_at__gt=after
        ).values_list("sha256", flat=True)
    )


@transaction.atomic
def dspt_deadline_save(*, deadline: DsptSubmissionDeadline) -> DsptSubmissionDeadline:
    """Save a new submission deadline, or an edit that keeps its date (a new date goes through
    dspt_deadline_reschedule, which keeps its history). When a published status is in force hangs on
    these dates, so every target with a DSPT requirement is recomputed and cached pages go stale."""
    deadline.full_clean()
    deadline.save()
    _dspt_inputs_changed(reason=f"DSPT {deadline.year} deadline saved")
    return deadline


@transaction.atomic
def dspt_deadline_reschedule(
    *,
    deadline: DsptSubmissionDeadline,
    new_deadline: datetime.date,
    reason: str,
    revised_by,
    revised_on: datetime.date,
) -> DsptDeadlineRevision:
    """Move a submission deadline, keeping the old date and the reason as a revision, and recompute
    the targets DSPT data meets, in one transaction (as target_update does for a target)."""
    revision = deadline_move(
        record=deadline, new_deadline=new_deadline, reason=reason, revised_by=revised_by, revised_on=revised_on
    )
    _dspt_inputs_changed(
        reason=f"DSPT {deadline.year} deadline moved from {revision.old_deadline} to {revision.new_deadline}"
    )
    return revision


@transaction.atomic
def dspt_deadline_delete(*, deadline: DsptSubmissionDeadline) -> None:
    """Remove a submission deadline, with the same recompute as a save (see dspt_periods for
    what an assessment without its own or the next year's deadline counts for)."""
    year = deadline.year
    deadline.delete()
    _dspt_inputs_changed(reason=f"DSPT {year} deadline removed")


def _dspt_inputs_changed(*, reason: str) -> None:
    """Announce a DSPT change: every target with a DSPT requirement is recomputed."""
    inputs_changed(
        targets=Target.objects.filter(
            requirements__national_data_rule=NationalDataRule.DSPT_MET_OR_EXCEEDED
        ).distinct(),
        reason=reason,
    )


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
