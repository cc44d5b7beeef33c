"""Moving a deadline with its history: the one way a target's deadline and a DSPT submission deadline
move. The old date and the reason are kept as a revision (TargetRevision, DsptDeadlineRevision), as
deadlines slip and statuses judged against the old one must stay explainable."""

import datetime

from ..models import DsptDeadlineRevision, DsptSubmissionDeadline, Target, TargetRevision


def deadline_move(
    *,
    record: Target | DsptSubmissionDeadline,
    new_deadline: datetime.date,
    reason: str,
    revised_by,
    revised_on: datetime.date,
) -> TargetRevision | DsptDeadlineRevision:
    """Move `record`'s deadline to `new_deadline`, keeping the old one and the reason as a revision.
    Call it inside the caller's transaction, which announces the change (inputs_changed)."""
    if not reason.strip():
        raise ValueError("A deadline change needs a reason.")
    # Lock the row: two admins moving it at once must each see the other's date. NO KEY UPDATE, so
    # a recompute's foreign-key checks on the target at its commit are not held up (a deadlock).
    locked = type(record).objects.select_for_update(no_key=True).get(pk=record.pk)
    if new_deadline == locked.deadline:
        raise ValueError(f"The deadline is already {new_deadline}.")
    revision = locked.revisions.create(
        revised_on=revised_on,
        old_deadline=locked.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        revised_by=revised_by,
    )
    locked.deadline = new_deadline
    locked.save(update_fields=["deadline"])
    return revision
