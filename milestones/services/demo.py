"""Demo data for trying DigiTrack locally: demo users and a generated evidence history on top of
the real trust register. Everything it makes is labelled demo (usernames demo-*, summaries
"[Demo] ...", files saying DEMO EVIDENCE) and it never changes a real row.

Reproducible: the same seed over the same register gives the same users and submissions,
dated against a fixed day, not the clock.
"""

import datetime
import hashlib
import random
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from trusts.models import ExemplarStatus, Trust

from ..models import DEMO_SUMMARY_PREFIX, EvidenceSubmission, Requirement, ReviewState, Target
from .recompute import recompute_request

DEMO_PREFIX = "demo-"
# The day the demo history runs up to: the date of the trust register.
DEMO_AS_OF = datetime.date(2026, 7, 1)
DEFAULT_SEED = 2026
# For signing in locally only: seed_demo refuses to run with DEBUG off.
DEMO_PASSWORD = "demo-digitrack-local-only"
CIO_COUNT = 5

# How each trust fares against a target: met early, met late, partly there, or not started.
# Weights per target code; exemplars lean towards early (see _archetype).
ARCHETYPE_WEIGHTS = {
    "cyber-2021": {"early": 45, "late": 25, "partial": 20, "none": 10},
    "core-2023": {"early": 20, "late": 30, "partial": 30, "none": 20},
    "full-2024": {"early": 8, "late": 12, "partial": 40, "none": 40},
    "shared-care-record-2024": {"early": 25, "late": 25, "partial": 30, "none": 20},
}
FALLBACK_WEIGHTS = {"early": 20, "late": 20, "partial": 30, "none": 30}
REJECTION_COMMENTS = [
    "The document is not signed off by the board.",
    "This covers only part of the trust's sites.",
    "The evidence is out of date: please send the current version.",
    "We cannot see the go-live date in this document.",
]


@dataclass
class DemoSummary:
    created: bool
    users: list[tuple[str, str]] = field(default_factory=list)  # (username, role)
    password: str = ""
    submissions: dict[str, int] = field(default_factory=dict)  # state -> count


def demo_exists() -> bool:
    return get_user_model().objects.filter(username__startswith=DEMO_PREFIX).exists()


def demo_pdf(*, title: str, lines: list[str]) -> bytes:
    """A one-page PDF saying what it is: small, valid, and different for each submission."""
    text = [title, "DEMO EVIDENCE - generated for trying DigiTrack, not a real document.", *lines]
    escaped = [line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") for line in text]
    stream = "BT /F1 11 Tf 40 800 Td 14 TL " + " ".join(f"({line}) '" for line in escaped) + " ET"
    objects = [
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        f"<</Length {len(stream)}>>stream\n{stream}\nendstream",
        "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    body = "%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body.encode("latin-1")))
        body += f"{number} 0 obj{obj}endobj\n"
    xref = len(body.encode("latin-1"))
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    body += "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    body += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n"
    return body.encode("latin-1")


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max((end - start).days, 0)))


def _moment(rng: random.Random, day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59))))


def _archetype(rng: random.Random, trust: Trust, target: Target) -> str:
    weights = dict(ARCHETYPE_WEIGHTS.get(target.code, FALLBACK_WEIGHTS))
    if trust.exemplar_status != ExemplarStatus.NONE:
        weights["early"] *= 3
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _History:
    """Builds one trust's submissions; each gets its own generated PDF."""

    def __init__(self, rng: random.Random, reviewers: list, submitter):
        self.rng = rng
        self.reviewers = reviewers
        self.submitter = submitter
        self.submissions: list[EvidenceSubmission] = []

    def add(self, *, trust: Trust, requirement: Requirement, day: datetime.date, state: str) -> None:
        rng = self.rng
        submitted_at = _moment(rng, day)
        number = len(self.submissions) + 1
        content = demo_pdf(
            title=f"{requirement.title}: {trust.display_name}",
            lines=[f"Trust {trust.ods_code}, requirement {requirement.code}", f"Demo submission {number}, {day}"],
        )
        submission = EvidenceSubmission(
            trust=trust,
            requirement=requirement,
            original_name=f"demo-{requirement.code}-{day:%Y%m%d}.pdf",
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content_type="application/pdf",
            summary=f"{DEMO_SUMMARY_PREFIX}{requirement.title} at {trust.display_name}.",
            submitted_by=self.submitter(trust),
            submitted_at=submitted_at,
            state=state,
        )
        if requirement.code in {"board-cyber-plan", "patching-compliance"} and rng.random() < 0.5:
            submission.valid_until = day + datetime.timedelta(
                days=365 * (3 if requirement.code == "board-cyber-plan" else 1)
            )
        if state in {ReviewState.APPROVED, ReviewState.REJECTED}:
            submission.reviewed_by = rng.choice(self.reviewers)
            submission.reviewed_at = min(
                submitted_at + datetime.timedelta(days=rng.randint(1, 21), hours=rng.randint(0, 6)),
                _moment(rng, DEMO_AS_OF),
            )
            # Demo history: nobody is waiting to hear of these reviews.
            submission.review_emailed_at = submission.reviewed_at
            if state == ReviewState.REJECTED:
                submission.review_comment = rng.choice(REJECTION_COMMENTS)
        if state == ReviewState.WITHDRAWN:
            submission.withdrawn_at = submitted_at + datetime.timedelta(days=rng.randint(1, 10))
        # Stored under a generated name, as evidence_submit does.
        submission.file.save(f"{secrets.token_hex(12)}.pdf", ContentFile(content), save=False)
        self.submissions.append(submission)

    def met(self, *, trust, requirement, day: datetime.date) -> None:
        """Approved on `day`, sometimes after an earlier submission was rejected."""
        if self.rng.random() < 0.25:
            earlier = max(day - datetime.timedelta(days=self.rng.randint(30, 120)), trust.opened_on)
            self.add(trust=trust, requirement=requirement, day=earlier, state=ReviewState.REJECTED)
        self.add(trust=trust, requirement=requirement, day=day, state=ReviewState.APPROVED)


def _trust_history(history: _History, trust: Trust, targets: list[Target]) -> None:
    rng = history.rng
    for target in targets:
        if not target.applies_to(trust.sector):
            continue
        requirements = [r for r in target.requirements.all() if not r.national_data_rule]
        start = max(target.start_date, trust.opened_on, datetime.date(2019, 1, 1))
        if start >= DEMO_AS_OF or not requirements:
            continue
        archetype = _archetype(rng, trust, target)
        deadline = min(target.deadline, DEMO_AS_OF)
        for requirement in requirements:
            if archetype == "early" and start < deadline:
                history.met(
                    trust=trust,
                    requirement=requirement,
                    day=_between(rng, start + (deadline - start) // 3, deadline - datetime.timedelta(days=1)),
                )
            elif archetype == "late" and target.deadline < DEMO_AS_OF:
                history.met(
                    trust=trust,
                    requirement=requirement,
                    day=_between(rng, target.deadline + datetime.timedelta(days=14), DEMO_AS_OF),
                )
            elif archetype in {"early", "late", "partial"}:
                _partial(history, trust, requirement, start)


def _partial(history: _History, trust: Trust, requirement: Requirement, start: datetime.date) -> None:
    rng = history.rng
    roll = rng.random()
    if roll < 0.35:
        history.met(trust=trust, requirement=requirement, day=_between(rng, start, DEMO_AS_OF))
    elif roll < 0.55:
        history.add(
            trust=trust, requirement=requirement, day=_between(rng, start, DEMO_AS_OF), state=ReviewState.REJECTED
        )
    elif roll < 0.8:
        # Awaiting review: sent in the last three months.
        history.add(
            trust=trust,
            requirement=requirement,
            day=_between(rng, max(start, DEMO_AS_OF - datetime.timedelta(days=90)), DEMO_AS_OF),
            state=ReviewState.SUBMITTED,
        )
    elif roll < 0.9:
        history.add(
            trust=trust, requirement=requirement, day=_between(rng, start, DEMO_AS_OF), state=ReviewState.WITHDRAWN
        )


def _demo_user(username: str, *, first_name: str, last_name: str, password: str | None, group: str | None, **flags):
    user = get_user_model()(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@example.invalid",
        **flags,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@transaction.atomic
def demo_seed(*, seed: int = DEFAULT_SEED, password: str = DEMO_PASSWORD) -> DemoSummary:
    """Create demo users and an evidence history on the real trusts, unless demo data exists.

    Needs the trust register (import_ods). Requests a recompute of every target at the end.
    """
    if demo_exists():
        return DemoSummary(created=False)
    trusts = list(Trust.objects.filter(closed_on__isnull=True).order_by("ods_code"))
    if not trusts:
        raise ValueError("No trusts yet: load the register first (manage.py import_ods trusts/data/etr.csv).")
    rng = random.Random(seed)
    summary = DemoSummary(created=True, password=password)

    def make(username, role, **kwargs):
        summary.users.append((username, role))
        return _demo_user(username, password=password, **kwargs)

    make(
        "demo-admin",
        "admin (superuser)",
        first_name="Demo",
        last_name="Admin",
        group="Admin",
        is_staff=True,
        is_superuser=True,
    )
    reviewers = [
        make(
            f"demo-programme-{n}",
            "programme staff",
            first_name="Demo",
            last_name=f"Programme {n}",
            group="Programme staff",
        )
        for n in (1, 2)
    ]
    cios = {}
    for trust in sorted(rng.sample(trusts, CIO_COUNT), key=lambda trust: trust.ods_code):
        cio = make(
            f"demo-cio-{trust.ods_code.lower()}",
            f"CIO of {trust.display_name}",
            first_name="Demo",
            last_name=f"CIO {trust.ods_code}",
            group="Trust CIO",
        )
        trust.cio_users.add(cio)
        cios[trust.pk] = cio
    # Submissions of trusts without a demo CIO come from a user nobody can sign in as.
    submitter = _demo_user("demo-submitter", first_name="Demo", last_name="Submitter", password=None, group=None)

    history = _History(rng, reviewers, lambda trust: cios.get(trust.pk, submitter))
    targets = list(Target.objects.prefetch_related("requirements"))
    for trust in trusts:
        _trust_history(history, trust, targets)
    EvidenceSubmission.objects.bulk_create(history.submissions)

    for submission in history.submissions:
        summary.submissions[submission.state] = summary.submissions.get(submission.state, 0) + 1
    for target in targets:
        recompute_request(target=target, reason="demo evidence added")
    return summary
