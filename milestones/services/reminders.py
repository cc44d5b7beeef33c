"""Reminders: load the facts, ask the pure rules (milestones/reminders.py) which are due on a day,
and record each in the outbox (milestones.models.Reminder) with its rendered message. The beat
task (milestones.tasks.send_reminders) then queues each unsent one for
milestones.services.notifications.reminder_email_send."""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from trusts.models import VIEW_ALL_TRUSTS_CODENAME, IntegratedCareBoard, Region, Trust

from .. import reminders
from ..models import (
    ComplianceStatus,
    EvidenceSubmission,
    Reminder,
    ReminderSettings,
    Requirement,
    ReviewState,
    Status,
    Target,
)
from ..models.evidence import evidence_state
from ..reminder_messages import reminder_message
from ..reminders import DueReminder, Follow, Recipient, RequirementFacts, TargetFacts
from ..selectors.reminders import reminder_context


def _deliverable(users):
    # .invalid addresses (the demo users') can never be delivered (RFC 2606).
    return users.filter(is_active=True).exclude(email="").exclude(email__endswith=".invalid")


def _recipients(users) -> dict[int, Recipient]:
    opted_out = dict(ReminderSettings.objects.filter(user__in=users).values_list("user_id", "opted_out"))
    return {
        user_id: Recipient(user_id, frozenset(opted_out.get(user_id) or ()))
        for user_id in users.values_list("pk", flat=True)
    }


def _requirement_facts(trusts: list[Trust], today: datetime.date) -> list[RequirementFacts]:
    """Each evidence requirement that counts for each trust today, with its evidence state."""
    requirements = [
        requirement
        for requirement in Requirement.objects.filter(national_data_rule="", optional=False).select_related("target")
        if (requirement.applies_from is None or requirement.applies_from <= today)
        and (requirement.retired_on is None or today < requirement.retired_on)
    ]
    valid = Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    approved = Q(state=ReviewState.APPROVED)
    counts = {
        (row["trust_id"], row["requirement_id"]): row
        for row in EvidenceSubmission.objects.filter(trust__in=trusts)
        .values("trust_id", "requirement_id")
        .annotate(
            approved_valid=Count("id", filter=approved & valid),
            approved_forever=Count("id", filter=approved & Q(valid_until__isnull=True)),
            approved_expired=Count("id", filter=approved & ~valid),
            pending=Count("id", filter=Q(state=ReviewState.SUBMITTED)),
            rejected=Count("id", filter=Q(state=ReviewState.REJECTED)),
            lapses_after=Max("valid_until", filter=approved & valid),
        )
    }
    facts = []
    for trust in trusts:
        for requirement in requirements:
            if not requirement.target.applies_to(trust.sector):
                continue
            row = counts.get((trust.pk, requirement.pk), {})
            state = evidence_state(
                approved_valid=row.get("approved_valid", 0),
                approved_expired=row.get("approved_expired", 0),
                pending=row.get("pending", 0),
                rejected=row.get("rejected", 0),
            )
            lapses = None if row.get("approved_forever") else row.get("lapses_after")
            facts.append(RequirementFacts(trust.ods_code, requirement.pk, requirement.target_id, state, lapses))
    return facts


def _target_facts(trusts: list[Trust]) -> list[TargetFacts]:
    met = set(ComplianceStatus.objects.filter(trust__in=trusts, status=Status.MET).values_list("trust_id", "target_id"))
    return [
        TargetFacts(trust.ods_code, target.pk, target.deadline, (trust.pk, target.pk) in met)
        for target in Target.objects.all()
        for trust in trusts
        if target.applies_to(trust.sector)
    ]


def reminders_due_on(today: datetime.date) -> list[DueReminder]:
    """The reminders due on `today`, from what PostgreSQL holds (a fixed number of queries)."""
    user_model = get_user_model()
    cio_links = Trust.cio_users.through.objects.filter(
        user__in=_deliverable(user_model.objects.all()), trust__opened_on__lte=today
    ).exclude(trust__closed_on__lt=today)
    trusts = list(Trust.objects.filter(pk__in=cio_links.values("trust_id")))
    cio_users = _deliverable(user_model.objects.filter(pk__in=cio_links.values("user_id")))
    recipients = _recipients(cio_users)
    cios: dict[str, list[Recipient]] = defaultdict(list)
    for code, user_id in cio_links.values_list("trust__ods_code", "user_id"):
        if user_id in recipients:
            cios[code].append(recipients[user_id])

    staff_users = _deliverable(
        user_model.objects.filter(
            Q(groups__permissions__codename=VIEW_ALL_TRUSTS_CODENAME)
            | Q(user_permissions__codename=VIEW_ALL_TRUSTS_CODENAME)
        ).distinct()
    )
    follows = [
        Follow(user_id, scope, code)
        for scope, field in (("region", "regions__code"), ("icb", "icbs__code"))
        for user_id, code in ReminderSettings.objects.filter(user__in=staff_users, **{f"{field}__isnull": False})
        .values_list("user_id", field)
        .order_by("user_id", field)
    ]
    return reminders.reminders_due(
        today=today,
        requirements=_requirement_facts(trusts, today),
        targets=_target_facts(trusts),
        cios=cios,
        staff=list(_recipients(staff_users).values()),
        follows=follows,
    )


def reminders_record(*, today: datetime.date) -> int:
    """Record in the outbox every reminder due on `today` that is not there yet, each with its
    message, but a digest of a week in which nothing happened; returns how many were new. Safe to
    run any number of times a day."""
    due = reminders_due_on(today)
    recorded = set(Reminder.objects.filter(key__in=[item.key for item in due]).values_list("key", flat=True))
    new = [item for item in due if item.key not in recorded]
    if not new:
        return 0
    context = reminder_context(new, today=today)
    # A quiet week (the one before this, milestones.reminders.digest_days) sends no digest.
    new = [
        item for item in new if item.kind != reminders.ReminderKind.DIGEST or not context.digests[item.subject].quiet
    ]
    if not new:
        return 0
    now = timezone.now()
    rows = []
    for item in new:
        message = reminder_message(item, context)
        rows.append(
            Reminder(
                key=item.key,
                recipient_id=item.user_id,
                kind=item.kind,
                to=context.emails[item.user_id],
                subject=message.subject,
                body_text=message.text,
                body_html=message.html,
                url=message.url,
                due_on=today,
                created_at=now,
            )
        )
    with transaction.atomic():
        # Two runs at once: the unique key keeps the first row and drops the second.
        Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return Reminder.objects.filter(key__in=[row.key for row in rows], created_at=now).count()


@transaction.atomic
def reminder_settings_save(
    *, user, shown: list[str], wanted: list[str], region_codes: list[str] | None, icb_codes: list[str] | None
) -> ReminderSettings:
    """Save what a person chose on the settings page: the kinds shown to them and not ticked are
    opted out of (other kinds keep their setting); the regions and ICBs given, when given, are followed."""
    settings, _ = ReminderSettings.objects.select_for_update(no_key=True).get_or_create(user=user)
    kept = [kind for kind in settings.opted_out if kind not in shown]
    settings.opted_out = sorted(set(kept) | (set(shown) - set(wanted)))
    settings.save(update_fields=["opted_out"])
    if region_codes is not None:
        settings.regions.set(Region.objects.filter(code__in=region_codes))
    if icb_codes is not None:
        settings.icbs.set(IntegratedCareBoard.objects.filter(code__in=icb_codes))
    return settings
