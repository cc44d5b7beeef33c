"""Dated changes to a target's requirements: added, re-bound to another basis, made optional or
to count, retired. Each takes a reason and the day it applies from and is kept as a revision, so
statuses before that day do not change (the rules read the history; see rules.RequirementFacts)."""

import datetime

from django.db import transaction

from ..models import Requirement, RequirementChange, RequirementRevision
from .recompute import inputs_changed


def requirement_dated_changes(*, requirement: Requirement) -> list[str]:
    """What in an edited (or new) requirement needs a reason and a date: RequirementChange values."""
    if requirement.pk is None:
        return [RequirementChange.ADDED]
    stored = Requirement.objects.get(pk=requirement.pk)
    changes = []
    if stored.basis != requirement.basis:
        changes.append(RequirementChange.REBOUND)
    if stored.optional != requirement.optional:
        changes.append(RequirementChange.MADE_OPTIONAL if requirement.optional else RequirementChange.MADE_COUNTING)
    if requirement.retired_on and stored.retired_on != requirement.retired_on:
        changes.append(RequirementChange.RETIRED)
    return changes


@transaction.atomic
def requirement_change(
    *,
    requirement: Requirement,
    reason: str,
    applies_from: datetime.date | None,
    revised_by,
    revised_on: datetime.date,
) -> list[RequirementRevision]:
    """Save a new or edited requirement, keeping each dated change as a revision, and request a
    recompute of its target.

    A new requirement counts from `applies_from`; a new basis judges the days from it (the old
    one the days before); retiring it sets `retired_on` to it. Making a requirement optional or
    counting is recorded with the date but, like the other flags of a definition, applies to
    every day. Edits of its wording alone need neither reason nor date.
    """
    changes = requirement_dated_changes(requirement=requirement)
    if RequirementChange.RETIRED in changes and applies_from is None:
        applies_from = requirement.retired_on
    if changes and not reason.strip():
        raise ValueError("A change to a requirement needs a reason.")
    if changes and applies_from is None:
        raise ValueError("A change to a requirement needs the day it applies from.")
    if RequirementChange.REBOUND in changes:
        latest = requirement.revisions.filter(change=RequirementChange.REBOUND).order_by("-applies_from").first()
        if latest and applies_from <= latest.applies_from:
            raise ValueError(f"Its basis already changed on {latest.applies_from}: a new basis must apply after it.")
    old_basis = {} if requirement.pk is None else Requirement.objects.get(pk=requirement.pk).basis
    if RequirementChange.ADDED in changes:
        requirement.applies_from = applies_from
    if RequirementChange.RETIRED in changes:
        requirement.retired_on = applies_from
    requirement.full_clean()
    requirement.save()
    revisions = [
        RequirementRevision.objects.create(
            requirement=requirement,
            change=change,
            applies_from=applies_from,
            old_basis=old_basis,
            new_basis=requirement.basis,
            reason=reason.strip(),
            revised_on=revised_on,
            revised_by=revised_by,
        )
        for change in changes
    ]
    inputs_changed(targets=[requirement.target], reason=f"requirement {requirement.code} saved")
    return revisions
