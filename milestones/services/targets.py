"""Writes of national targets and their requirements: every change requests a recompute and
makes the cached dashboards stale (they show titles, deadlines and revisions)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .. import stages
from ..models import Requirement, Target, TargetRevision
from .deadlines import deadline_move
from .recompute import inputs_changed


@transaction.atomic
def target_reschedule(
    *, target: Target, new_deadline: datetime.date, reason: str, revised_by, revised_on: datetime.date
) -> TargetRevision:
    """Move a target's deadline, keeping the old one as a revision, and request a recompute
    of every trust against it, all in one transaction."""
    revision = deadline_move(
        record=target, new_deadline=new_deadline, reason=reason, revised_by=revised_by, revised_on=revised_on
    )
    inputs_changed(targets=[target], reason=_moved(revision))
    return revision


@transaction.atomic
def target_save(*, target: Target, changed_fields: list[str]) -> Target:
    """Save an edit of a target other than its deadline (which goes through target_reschedule)."""
    changed = _target_store(target=target, changed_fields=changed_fields)
    if changed:
        inputs_changed(targets=[target], reason=changed)
    return target


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
    a moved deadline is kept as a revision with its reason (as target_reschedule does), every other
    field saved as target_save does, and the whole edit announced once (one recompute request).
    `saved_deadline` is the deadline stored before the edit."""
    if saved_deadline is None:
        return target_save(target=target, changed_fields=changed_fields)
    new_deadline = target.deadline
    target.deadline = saved_deadline
    changes = [_target_store(target=target, changed_fields=[name for name in changed_fields if name != "deadline"])]
    if "deadline" in changed_fields:
        revision = deadline_move(
            record=target,
            new_deadline=new_deadline,
            reason=deadline_change_reason,
            revised_by=revised_by,
            revised_on=timezone.localdate(),
        )
        changes.append(_moved(revision))
        target.refresh_from_db()
    if any(changes):
        inputs_changed(targets=[target], reason="; ".join(change for change in changes if change))
    return target


def _target_store(*, target: Target, changed_fields: list[str]) -> str:
    """Save a target with no change of deadline; what changed, for the announcement ("" if nothing)."""
    if "deadline" in changed_fields:
        raise ValueError("Change the deadline with target_reschedule, which keeps its history.")
    target.full_clean()
    target.save()
    return f"target changed: {', '.join(changed_fields)}" if changed_fields else ""


def _moved(revision: TargetRevision) -> str:
    return f"deadline moved from {revision.old_deadline} to {revision.new_deadline}"


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
