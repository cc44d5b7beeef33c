"""The words of each reminder: subject, plain text and HTML (NHS.UK email style), and the absolute
link to the page it is about, from a due reminder and what its message names."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from .labels import long_date, status_label
from .reminders import DueReminder, ReminderKind
from .selectors.reminders import Digest, ReminderContext


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str
    url: str


@dataclass
class _Content:
    subject: str
    heading: str
    paragraphs: list[str]
    action: str
    url: str
    # (title, lines): the digest's sections
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


def absolute_url(name: str, *args, query: str = "") -> str:
    """A link for an email: SITE_URL and the page's path (emails have no request to build it from)."""
    return f"{settings.SITE_URL}{reverse(name, args=args)}{query}"


def _days(days_left: int) -> str:
    if days_left == 0:
        return "today"
    return "in 1 day" if days_left == 1 else f"in {days_left} days"


def _requirement_content(item: DueReminder, context: ReminderContext) -> _Content:
    trust_code, _, requirement_id, *_ = item.subject
    requirement = context.requirements[int(requirement_id)]
    trust = context.trusts[trust_code]
    url = absolute_url("milestones:evidence_upload", trust_code, query=f"?requirement={requirement.pk}")
    deadline = long_date(requirement.target.deadline)
    if item.kind == ReminderKind.EXPIRING:
        lapses = long_date(context.today + datetime.timedelta(days=item.days_left))
        return _Content(
            subject=f"DigiTrack: evidence for {trust_code} lapses {_days(item.days_left)}",
            heading=f"Evidence lapses {_days(item.days_left)}",
            paragraphs=[
                f"The approved evidence of {trust} for “{requirement.title}” is valid until {lapses}.",
                f"Upload new evidence before then, so that {trust} keeps meeting “{requirement.target.title}”.",
            ],
            action="Upload new evidence",
            url=url,
        )
    state = "was rejected and has not been replaced" if item.kind == ReminderKind.REJECTED else "is still missing"
    return _Content(
        subject=f"DigiTrack: evidence {'rejected' if item.kind == ReminderKind.REJECTED else 'missing'} for "
        f"{trust_code}, deadline {_days(item.days_left)}",
        heading=f"Evidence {state}",
        paragraphs=[
            f"Evidence of {trust} for “{requirement.title}” {state}.",
            f"The deadline for “{requirement.target.title}” is {deadline}, {_days(item.days_left)}.",
        ],
        action="Upload evidence",
        url=url,
    )


def _deadline_content(item: DueReminder, context: ReminderContext) -> _Content:
    trust_code, _, target_id = item.subject
    target = context.targets[int(target_id)]
    trust = context.trusts[trust_code]
    status, reason = context.statuses.get((trust_code, target.pk), ("", "Not computed yet."))
    return _Content(
        subject=f"DigiTrack: {target.title} deadline {_days(item.days_left)} for {trust_code}",
        heading=f"Deadline {_days(item.days_left)}: {target.title}",
        paragraphs=[
            f"{trust} has not met “{target.title}” yet. The deadline is {long_date(target.deadline)}.",
            f"Status: {status_label(status) if status else 'not computed yet'}. {reason}",
        ],
        action=f"See {trust}",
        url=absolute_url("dashboards:trust", trust_code),
    )


def _digest_content(item: DueReminder, context: ReminderContext) -> _Content:
    scope, code = item.subject
    digest: Digest = context.digests[(scope, code)]
    query = f"?icb={code}" if scope == "icb" else ""
    changes = [
        f"{trust}, {target}: {status_label(old) if old else 'none'} to {status_label(new)}. {reason}"
        for trust, target, old, new, reason in digest.changes
    ]
    if digest.changes_total > len(changes):
        changes.append(f"and {digest.changes_total - len(changes)} more")
    reviews = [
        f"{trust}: {requirement}, uploaded {long_date(submitted)}"
        for trust, requirement, submitted in digest.old_reviews
    ]
    if digest.old_reviews_total > len(reviews):
        reviews.append(f"and {digest.old_reviews_total - len(reviews)} more")
    return _Content(
        subject=f"DigiTrack: the week in {digest.name}",
        heading=f"The week in {digest.name}",
        paragraphs=[f"What changed from Monday {long_date(digest.first_day)} to Sunday {long_date(digest.last_day)}."],
        sections=[
            ("Newly overdue", [f"{trust}: {target}" for trust, target in digest.newly_overdue] or ["None."]),
            ("Status changes", changes or ["None."]),
            ("Evidence waiting more than 10 days for review", reviews or ["None."]),
        ],
        action=f"See {digest.name}",
        url=absolute_url("dashboards:region", digest.region_code, query=query),
    )


def reminder_message(item: DueReminder, context: ReminderContext) -> Message:
    """The message for one due reminder, plain text and HTML, with the settings link that opts out."""
    if item.kind == ReminderKind.DIGEST:
        content = _digest_content(item, context)
    elif item.kind == ReminderKind.DEADLINE:
        content = _deadline_content(item, context)
    else:
        content = _requirement_content(item, context)
    values = {
        "content": content,
        "first_name": context.first_names.get(item.user_id, ""),
        "settings_url": absolute_url("milestones:reminder_settings"),
    }
    return Message(
        subject=content.subject,
        text=render_to_string("emails/reminder.txt.jinja", values),
        html=render_to_string("emails/reminder.html.jinja", values),
        url=content.url,
    )
