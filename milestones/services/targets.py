"""Writes of national targets and their requirements: every change requests a recompute and
makes the cached dashboards stale (they show titles, deadlines and revisions)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .. import stages
from ..models import Requirement, Target
from .deadlines import deadline_move
from .recompute import inputs_changed


@transaction.atomic
def target_update(
    *,
    target: Target,
    changed_fields: list[str],
    saved_deadline: datetime.date | None,
    deadline_change_reason: str,
    revised_by,
) -> Target:
    """Save an admin's edit of a target, new (`saved_deadline` None) or existing, in one transaction:
    an existing target's moved deadline is kept as a revision with its reason (deadline_move; the
    stored deadline before the edit is `saved_deadline`), and the edit is announced once, requesting
    one recompute of every trust against the target."""
    moved = saved_deadline is not None and "deadline" in changed_fields
    new_deadline = target.deadline
    if moved:
        target.deadline = saved_deadline  # moved below, with its revision
    target.full_clean()
    target.save()
    others = [name for name in changed_fields if not (moved and name == "deadline")]
    changes = [f"target changed: {', '.join(others)}"] if others else []
    if moved:
        revision = deadline_move(
            record=target,
            new_deadline=new_deadline,
            reason=deadline_change_reason,
            revised_by=revised_by,
            revised_on=timezone.localdate(),
        )
        changes.append(f"deadline moved from {revision.old_deadline} to {revision.new_deadline}")
        target.refresh_from_db()
    if changes:
        inputs_changed(targets=[target], reason="; ".join(changes))
    return target


@transaction.atomic
def requirement_delete(*, requirement: Requirement) -> None:
    """Delete a requirement (one with submissions is protected) and recompute its target."""
    target = requirement.target
    code = requirement.code
    requirement.delete()
    inputs_changed(targets=[target], reason=f"requirement {code} removed")


def prerequisites_cycle_with(*, target: Target, prerequisites: Iterable[Target]) -> list[str] | None:
    """The codes of a chain of targets that would need itself if `target` needed `prerequisites`."""
    needs: dict[int, set[int]] = {}
    for from_id, to_id in Target.prerequisites.through.objects.exclude(from_target_id=target.pk).values_list(
        "from_target_id", "to_target_id"
    ):
        needs.setdefault(from_id, set()).add(to_id)
    needs[target.pk] = {other.pk for other in prerequisites}
    cycle = stages.prerequisite_cycle(needs)
    if cycle is None:
        return None
    codes = dict(Target.objects.filter(pk__in=cycle).values_list("pk", "code"))
    return [codes[target_id] for target_id in cycle]


@transaction.atomic
def target_prerequisites_set(*, target: Target, prerequisites: Iterable[Target]) -> None:
    """Set the targets a trust must meet before this one counts as its stage. Statuses do not
    change (stages are read from them), but the stage pages do."""
    prerequisites = list(prerequisites)
    cycle = prerequisites_cycle_with(target=target, prerequisites=prerequisites)
    if cycle:
        raise ValueError(f"A target cannot need itself: {' needs '.join(cycle)}.")
    target.prerequisites.set(prerequisites)
    inputs_changed(reason=f"prerequisites of {target.code} set")
