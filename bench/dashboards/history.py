"""A scale's SYNTHETIC history, loaded in a child process with Django set up on the scale's
database (`python -m bench.dashboards --load-scale SCALE`)."""

import datetime
import json
import random
import secrets
import time
from pathlib import Path

from bench.common.synthetic import evidence_without_file, trusts_copy

SYNTHETIC = "[Synthetic benchmark]"
YEARS = 5
COPIES = {"national": 0, "tenfold": 9}


def month_ends(until: datetime.date, count: int) -> list[datetime.date]:
    ends, day = [], until.replace(day=1) - datetime.timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = day.replace(day=1) - datetime.timedelta(days=1)
    return ends[::-1]


def synthetic_status(month: datetime.date, met_on: datetime.date | None, deadline: datetime.date) -> str:
    if met_on is not None and met_on <= month:
        return "met"
    if month > deadline:
        return "overdue"
    return "at_risk" if (deadline - month).days < 90 else "on_track"


def load_synthetic_history(rng: random.Random) -> dict:
    """Statuses, snapshots, changes and evidence for every trust and target (SYNTHETIC), written
    a few hundred trusts at a time so tenfold scale fits in memory."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from milestones.models import (
        ComplianceSnapshot,
        ComplianceStatus,
        ComplianceStatusChange,
        EvidenceSubmission,
        Requirement,
        ReviewState,
        Target,
    )
    from trusts.models import Trust

    today = timezone.localdate()
    now = timezone.now()
    months = month_ends(today, 12 * YEARS)
    user = get_user_model().objects.create_user("bench-synthetic", password=secrets.token_urlsafe(16))
    trusts = list(Trust.objects.order_by("pk"))
    targets = list(Target.objects.all())
    requirements = list(Requirement.objects.all())
    states = [ReviewState.APPROVED] * 6 + [ReviewState.REJECTED, ReviewState.SUBMITTED, ReviewState.WITHDRAWN]
    summary = f"{SYNTHETIC} evidence, no file"
    counts = dict.fromkeys(("snapshots", "statuses", "status_changes", "evidence_submissions"), 0)
    for start in range(0, len(trusts), 300):
        snapshots, statuses, changes, evidence = [], [], [], []
        for trust in trusts[start : start + 300]:
            for target in targets:
                if rng.random() < 0.03:
                    met_on, applicable = None, False
                else:
                    applicable = True
                    span = (target.deadline - months[0]).days + 400
                    met_on = months[0] + datetime.timedelta(days=rng.randrange(span)) if rng.random() < 0.85 else None
                previous = ""
                for month in months:
                    value = synthetic_status(month, met_on, target.deadline) if applicable else "not_applicable"
                    snapshots.append(ComplianceSnapshot(trust=trust, target=target, as_of=month, status=value))
                    if value != previous:
                        moment = datetime.datetime.combine(month, datetime.time(2), tzinfo=datetime.UTC)
                        changes.append(
                            ComplianceStatusChange(
                                trust=trust,
                                target=target,
                                old_status=previous,
                                new_status=value,
                                reason=f"{SYNTHETIC} status change",
                                changed_at=moment,
                            )
                        )
                        previous = value
                current = synthetic_status(today, met_on, target.deadline) if applicable else "not_applicable"
                statuses.append(
                    ComplianceStatus(
                        trust=trust,
                        target=target,
                        status=current,
                        requirements_total=3,
                        requirements_met=3 if current == "met" else rng.randrange(3),
                        reason=f"{SYNTHETIC} status",
                        met_on=met_on if current == "met" else None,
                        computed_at=now,
                        changed_at=now,
                    )
                )
            for requirement in requirements:
                for _ in range(rng.randrange(4)):
                    submitted = now - datetime.timedelta(days=rng.randrange(365 * YEARS))
                    state = rng.choice(states)
                    reviewed = submitted + datetime.timedelta(days=3) if state != ReviewState.SUBMITTED else None
                    evidence.append(
                        evidence_without_file(
                            trust.pk,
                            requirement,
                            user,
                            summary=summary,
                            state=state,
                            submitted_at=submitted,
                            reviewed_at=reviewed,
                        )
                    )
        ComplianceSnapshot.objects.bulk_create(snapshots, batch_size=5000)
        ComplianceStatus.objects.bulk_create(statuses, batch_size=5000)
        ComplianceStatusChange.objects.bulk_create(changes, batch_size=5000)
        EvidenceSubmission.objects.bulk_create(evidence, batch_size=5000)
        counts["snapshots"] += len(snapshots)
        counts["statuses"] += len(statuses)
        counts["status_changes"] += len(changes)
        counts["evidence_submissions"] += len(evidence)
    return {"trusts": len(trusts), "targets": len(targets), "months": len(months), **counts}


def staff_cookies() -> dict[str, str]:
    """A programme staff user's session, with the CSRF cookie a browser holds once it has had a
    page with a form (without it, every page would set a new one)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.test import Client
    from django.utils.crypto import get_random_string

    user = get_user_model().objects.create_user(
        "bench-staff", password=secrets.token_urlsafe(16), first_name="Bench", last_name="Staff"
    )
    user.groups.add(Group.objects.get(name="Programme staff"))
    client = Client()
    client.force_login(user)
    return {
        "sessionid": client.cookies["sessionid"].value,
        "csrftoken": get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS),
    }


def load_scale(scale: str, output: Path) -> None:
    """In a child process: Django on the scale's database; synthetic data, a session; a JSON file."""
    import django

    django.setup()
    from django.core.cache import cache

    from trusts.models import Trust

    started = time.monotonic()
    trusts_copy(COPIES[scale])
    dataset = load_synthetic_history(random.Random(2019))
    dataset["load_seconds"] = round(time.monotonic() - started, 1)
    dataset["note"] = "Real ODS trusts; statuses, snapshots, changes and evidence are SYNTHETIC" + (
        f"; {dataset['trusts'] // (COPIES[scale] + 1) * COPIES[scale]} trusts are SYNTHETIC copies."
        if COPIES[scale]
        else "."
    )
    cache.clear()  # one Redis number serves both scales: nothing of the other may be served
    region = "Y56"
    trust = Trust.objects.filter(region__code=region).exclude(ods_code__startswith="Z").order_by("ods_code")
    output.write_text(
        json.dumps(
            {
                "dataset": dataset,
                "cookies": staff_cookies(),
                "region": region,
                "trust": trust.values_list("ods_code", flat=True).first(),
            }
        )
    )
