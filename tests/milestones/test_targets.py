"""Target deadlines and their history (milestones/services/targets.py, services/deadlines.py, migration 0002)."""

import datetime

import pytest

from milestones.models import RecomputeRequest, Target
from milestones.services.targets import target_update
from tests.factories import TargetFactory, UserFactory


def test_seeded_full_digitisation_slippage_is_present(db):
    full = Target.objects.get(code="full-2024")
    deadlines = [full.revisions.first().old_deadline] + [r.new_deadline for r in full.revisions.all()]
    assert [deadline.year for deadline in deadlines] == [2018, 2020, 2023, 2024, 2025, 2026]
    assert full.deadline == deadlines[-1]
    assert all(revision.reason for revision in full.revisions.all())


def _move(target: Target, new_deadline: datetime.date, *, reason: str, revised_by) -> None:
    """An admin's edit of the deadline alone, as the target admin saves it."""
    saved_deadline = Target.objects.get(pk=target.pk).deadline
    target.deadline = new_deadline
    target_update(
        target=target,
        changed_fields=["deadline"],
        saved_deadline=saved_deadline,
        deadline_change_reason=reason,
        revised_by=revised_by,
    )


def test_reschedule_keeps_each_old_deadline_as_a_revision(db):
    target = TargetFactory(deadline=datetime.date(2024, 12, 31))
    admin = UserFactory()

    _move(target, datetime.date(2025, 3, 31), reason="Plan revised", revised_by=admin)
    _move(target, datetime.date(2026, 3, 31), reason="Slipped again", revised_by=None)

    target.refresh_from_db()
    assert target.deadline == datetime.date(2026, 3, 31)
    assert [(r.old_deadline, r.new_deadline, r.reason, r.revised_by) for r in target.revisions.all()] == [
        (datetime.date(2024, 12, 31), datetime.date(2025, 3, 31), "Plan revised", admin),
        (datetime.date(2025, 3, 31), datetime.date(2026, 3, 31), "Slipped again", None),
    ]
    assert RecomputeRequest.objects.filter(target=target).count() == 2


@pytest.mark.parametrize(
    ("new_deadline", "reason"), [(datetime.date(2025, 1, 1), "  "), (datetime.date(2024, 12, 31), "x")]
)
def test_reschedule_refuses_no_reason_or_the_same_deadline(db, new_deadline, reason):
    target = TargetFactory(deadline=datetime.date(2024, 12, 31))
    with pytest.raises(ValueError):
        _move(target, new_deadline, reason=reason, revised_by=None)
    assert not target.revisions.exists()
    assert not RecomputeRequest.objects.filter(target=target).exists()
