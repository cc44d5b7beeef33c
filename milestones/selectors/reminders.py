"""Reads for reminders: what their messages name (people, trusts, requirements, targets, the week's
changes in a region or ICB), the unsent ones for the beat task, and a person's settings."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from trusts.models import IntegratedCareBoard, Region, Trust

from ..models import (
    ComplianceStatus,
    ComplianceStatusChange,
    EvidenceSubmission,
    Reminder,
    ReminderSettings,
    Requirement,
    ReviewState,
    Status,
    Target,
)
from ..reminders import REVIEW_OVERDUE_DAYS, DueReminder, ReminderKind, digest_days

# Unsent reminders are queued again for this long after they were recorded (a mail server down
# for days); older ones are left, as news that late would mislead.
REMINDER_SEND_FOR = datetime.timedelta(days=7)
# A digest lists at most this many items of each sort, then says how many more there are.
DIGEST_ITEMS = 30


@dataclass
class Digest:
    """One region's or ICB's week: status changes, trusts newly overdue, reviews waiting too long."""

    name: str
    region_code: str
    first_day: datetime.date  # the week it reports, Monday to Sunday (milestones.reminders.digest_days)
    last_day: datetime.date
    # (trust name, target title, old status, new status, reason)
    changes: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    newly_overdue: list[tuple[str, str]] = field(default_factory=list)
    # (trust name, requirement title, submitted on)
    old_reviews: list[tuple[str, str, datetime.date]] = field(default_factory=list)
    changes_total: int = 0
    old_reviews_total: int = 0

    @property
    def quiet(self) -> bool:
        """Nothing to report: no status changed (so none became overdue) and no review waits too long."""
        return not (self.changes_total or self.old_reviews_total)


@dataclass
class ReminderContext:
    today: datetime.date
    emails: dict[int, str]
    first_names: dict[int, str]
    trusts: dict[str, str]
    requirements: dict[int, Requirement]
    targets: dict[int, Target]
    # (trust code, target id) -> (status, reason)
    statuses: dict[tuple[str, int], tuple[str, str]]
    digests: dict[tuple[str, str], Digest]


def _digest(name: str, region_code: str, trusts: Q, today: datetime.date) -> Digest:
    """The week a digest sent on `today` reports (Monday to Sunday of the week before), in the
    trusts matching `trusts` (a Q on Trust)."""
    first_day, last_day = digest_days(today)
    week_start = timezone.make_aware(datetime.datetime.combine(first_day, datetime.time.min))
    week_end = week_start + datetime.timedelta(days=7)
    in_scope = Trust.objects.filter(trusts).values("pk")
    # Changes of status only: progress within one ("at risk" to "at risk", 2 of 3 met) is the trust page's.
    changes = (
        ComplianceStatusChange.objects.filter(trust__in=in_scope, changed_at__gte=week_start, changed_at__lt=week_end)
        .exclude(old_status=F("new_status"))
        .order_by("trust__name", "target__display_order")
    )
    rows = list(
        changes.values_list("trust__name", "target__title", "old_status", "new_status", "reason")[:DIGEST_ITEMS]
    )
    overdue = changes.filter(new_status=Status.OVERDUE).exclude(old_status=Status.OVERDUE)
    waiting = EvidenceSubmission.objects.filter(
        trust__in=in_scope,
        state=ReviewState.SUBMITTED,
        submitted_at__lt=week_end - datetime.timedelta(days=REVIEW_OVERDUE_DAYS + 1),
    ).order_by("submitted_at")
    return Digest(
        name=name,
        region_code=region_code,
        first_day=first_day,
        last_day=last_day,
        changes=[(Trust(name=row[0]).display_name, *row[1:]) for row in rows],
        newly_overdue=[
            (Trust(name=trust).display_name, target)
            for trust, target in overdue.values_list("trust__name", "target__title")[:DIGEST_ITEMS]
        ],
        old_reviews=[
            (Trust(name=trust).display_name, requirement, submitted.date())
            for trust, requirement, submitted in waiting.values_list(
                "trust__name", "requirement__title", "submitted_at"
            )[:DIGEST_ITEMS]
        ],
        changes_total=changes.count(),
        old_reviews_total=waiting.count(),
    )


def reminder_context(due: list[DueReminder], *, today: datetime.date) -> ReminderContext:
    """Everything the messages for `due` name, in a fixed number of queries plus two per digest."""
    user_ids = {item.user_id for item in due}
    users = get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email", "first_name")
    trust_codes = {item.subject[0] for item in due if item.kind != ReminderKind.DIGEST}
    requirement_ids = {int(item.subject[2]) for item in due if item.subject[1:2] == ("requirement",)}
    digests = {}
    for scope, code in {item.subject for item in due if item.kind == ReminderKind.DIGEST}:
        if scope == "region":
            region = Region.objects.get(code=code)
            digests[(scope, code)] = _digest(region.name, region.code, Q(region=region), today)
        else:
            icb = IntegratedCareBoard.objects.select_related("region").get(code=code)
            digests[(scope, code)] = _digest(icb.display_name, icb.region.code, Q(icb=icb), today)
    return ReminderContext(
        today=today,
        emails={pk: email for pk, email, _ in users},
        first_names={pk: first_name for pk, _, first_name in users},
        trusts={trust.ods_code: trust.display_name for trust in Trust.objects.filter(ods_code__in=trust_codes)},
        requirements=Requirement.objects.select_related("target").in_bulk(requirement_ids),
        targets=Target.objects.in_bulk(),
        statuses={
            (code, target_id): (status, reason)
            for code, target_id, status, reason in ComplianceStatus.objects.filter(
                trust__ods_code__in=trust_codes
            ).values_list("trust__ods_code", "target_id", "status", "reason")
        },
        digests=digests,
    )


def reminders_unsent(*, now: datetime.datetime):
    """Reminders recorded and not sent yet, oldest first, within REMINDER_SEND_FOR."""
    return Reminder.objects.filter(sent_at__isnull=True, created_at__gt=now - REMINDER_SEND_FOR).order_by(
        "created_at", "id"
    )


def reminder_settings_for(user) -> ReminderSettings:
    """The person's settings, unsaved defaults when they have none yet."""
    return ReminderSettings.objects.filter(user=user).first() or ReminderSettings(user=user)
