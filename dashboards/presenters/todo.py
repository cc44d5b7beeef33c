"""A trust CIO's home: each trust's to-do, in words, with the upload each item needs."""

import datetime

from django.urls import reverse

from milestones.labels import EXPIRING_SOON_TAG, evidence_tag, long_date, status_tag
from trusts.models import Trust

from ..selectors.todo import (
    TODO_EXPIRED,
    TODO_EXPIRING,
    TODO_MISSING,
    TODO_PENDING,
    TODO_REJECTED,
    TodoItem,
)


def todo_tag(state: str) -> dict:
    """An item's tag: its evidence state's, or "Expiring soon"."""
    return EXPIRING_SOON_TAG if state == TODO_EXPIRING else evidence_tag(state)


def todo_reason(item: TodoItem, today: datetime.date) -> str:
    """Why a requirement is on the list, in a sentence."""
    if item.state == TODO_MISSING:
        return "No evidence has been uploaded."
    if item.state == TODO_REJECTED:
        comment = f" The reviewer said: {item.comment}" if item.comment else ""
        return f"The latest evidence was rejected{' on ' + long_date(item.day) if item.day else ''}.{comment}"
    if item.state == TODO_EXPIRED:
        return f"The approved evidence expired on {long_date(item.day)}."
    if item.state == TODO_EXPIRING:
        days = (item.day - today).days
        return f"The approved evidence expires on {long_date(item.day)}, in {days} day{'' if days == 1 else 's'}."
    return f"Pending review: uploaded on {long_date(item.day)}. Nothing to do until it is reviewed."


def todo_body(
    trusts: list[Trust], items: list[TodoItem], statuses: dict[int, list[tuple[str, str]]], today: datetime.date
) -> list[dict]:
    """Per trust: its statuses, the items that need an upload (each with its pre-filled upload
    link), and those waiting for review (each with its page, where it can be withdrawn)."""
    blocks = []
    for trust in trusts:
        mine = [item for item in items if item.trust.pk == trust.pk]
        rows = [
            {
                "target": item.requirement.target.title,
                "requirement": item.requirement.title,
                "tag": todo_tag(item.state),
                "reason": todo_reason(item, today),
                "upload_url": f"{reverse('milestones:evidence_upload', args=[trust.ods_code])}?requirement={item.requirement.pk}",
                "detail_url": reverse("milestones:evidence_detail", args=[item.submission_id])
                if item.submission_id
                else None,
            }
            for item in mine
        ]
        blocks.append(
            {
                "trust": trust,
                "statuses": [(title, status_tag(status)) for title, status in statuses.get(trust.pk, [])],
                "todo": [row for item, row in zip(mine, rows, strict=True) if item.state != TODO_PENDING],
                "pending": [row for item, row in zip(mine, rows, strict=True) if item.state == TODO_PENDING],
            }
        )
    return blocks
