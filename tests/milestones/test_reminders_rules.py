"""The pure rule of which reminders are due on a day (milestones/reminders.py): no database, no
clock. Travelling day by day across a deadline, each threshold comes due once."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from milestones.reminders import (
    DEADLINE_THRESHOLDS,
    EXPIRY_THRESHOLDS,
    Follow,
    Recipient,
    ReminderKind,
    RequirementFacts,
    TargetFacts,
    digest_days,
    digest_week,
    reminders_due,
    threshold_reached,
)

TODAY = datetime.date(2026, 11, 28)
CIO = Recipient(1)
CIOS = {"T01": [CIO]}


def due(today, *, requirements=(), targets=(), cios=CIOS, staff=(), follows=()):
    return reminders_due(
        today=today, requirements=requirements, targets=targets, cios=cios, staff=staff, follows=follows
    )


def expiring_on(valid_until):
    return RequirementFacts("T01", 7, 3, "approved", valid_until)


def target(deadline, met=False):
    return TargetFacts("T01", 3, deadline, met)


def test_approved_evidence_lapsing_in_60_30_and_7_days_is_due_at_each_threshold():
    lapses = TODAY + datetime.timedelta(days=60)
    assert [(r.kind, r.threshold, r.days_left) for r in due(TODAY, requirements=[expiring_on(lapses)])] == [
        (ReminderKind.EXPIRING, "60", 60)
    ]
    assert due(TODAY - datetime.timedelta(days=1), requirements=[expiring_on(lapses)]) == []
    assert due(lapses - datetime.timedelta(days=30), requirements=[expiring_on(lapses)])[0].threshold == "30"
    assert due(lapses - datetime.timedelta(days=7), requirements=[expiring_on(lapses)])[0].threshold == "7"
    assert due(lapses + datetime.timedelta(days=1), requirements=[expiring_on(lapses)]) == []


def test_missing_and_rejected_evidence_are_due_as_the_deadline_nears_unless_the_target_is_met():
    deadline = TODAY + datetime.timedelta(days=30)
    missing = RequirementFacts("T01", 7, 3, "missing")
    rejected = RequirementFacts("T01", 8, 3, "rejected")
    found = due(TODAY, requirements=[missing, rejected], targets=[target(deadline)])
    assert sorted((r.kind, r.subject, r.threshold) for r in found) == [
        (ReminderKind.DEADLINE, ("T01", "target", "3"), "30"),
        (ReminderKind.MISSING, ("T01", "requirement", "7"), "30"),
        (ReminderKind.REJECTED, ("T01", "requirement", "8"), "30"),
    ]
    assert due(TODAY, requirements=[missing, rejected], targets=[target(deadline, met=True)]) == []
    assert due(TODAY, requirements=[missing], targets=[target(TODAY + datetime.timedelta(days=91))]) == []


def test_opted_out_kinds_and_other_trusts_cios_get_nothing():
    deadline = TODAY + datetime.timedelta(days=7)
    cios = {"T01": [Recipient(1, frozenset({"missing"})), Recipient(2)], "T02": [Recipient(3)]}
    found = due(TODAY, requirements=[RequirementFacts("T01", 7, 3, "missing")], targets=[target(deadline)], cios=cios)
    assert sorted((r.user_id, r.kind) for r in found) == [
        (1, ReminderKind.DEADLINE),
        (2, ReminderKind.DEADLINE),
        (2, ReminderKind.MISSING),
    ]


def test_a_digest_is_due_once_a_week_per_region_or_icb_followed_by_programme_staff():
    staff = [Recipient(5), Recipient(6, frozenset({"digest"}))]
    follows = [Follow(5, "region", "Y56"), Follow(5, "icb", "QKK"), Follow(6, "region", "Y56"), Follow(9, "icb", "QKK")]
    found = due(TODAY, staff=staff, follows=follows)
    assert sorted(r.key for r in found) == ["5:digest:icb/QKK:2026-W48", "5:digest:region/Y56:2026-W48"]
    assert digest_week(TODAY + datetime.timedelta(days=1)) == "2026-W48"  # Sunday: the same week
    assert digest_week(TODAY + datetime.timedelta(days=2)) == "2026-W49"


def test_a_digest_reports_the_week_before_the_one_it_is_sent_in():
    week_before = (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    assert digest_days(TODAY) == week_before  # a Saturday
    assert digest_days(datetime.date(2026, 11, 23)) == week_before  # the Monday of TODAY's week
    assert digest_days(datetime.date(2026, 11, 30)) == (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))


@given(day=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1)))
def test_digests_a_week_apart_report_weeks_that_meet_and_do_not_overlap(day):
    first, last = digest_days(day)
    assert (first.weekday(), last.weekday(), (last - first).days) == (0, 6, 6)
    assert last < day and digest_week(last) != digest_week(day)
    assert digest_days(day + datetime.timedelta(days=7))[0] == last + datetime.timedelta(days=1)


@given(
    days_to_go=st.integers(min_value=0, max_value=200),
    skipped=st.sets(st.integers(min_value=0, max_value=200), max_size=60),
)
def test_travelling_day_by_day_each_threshold_reached_is_due_exactly_once(days_to_go, skipped):
    """However many days the beat task misses (Redis down), an outbox keyed on the reminder sends
    each threshold at most once, never one not yet reached, and every one still ahead when the
    journey starts whose day was not skipped entirely."""
    start = TODAY
    lapses = start + datetime.timedelta(days=days_to_go)
    deadline = lapses
    sent: dict[str, datetime.date] = {}
    for offset in range(days_to_go + 10):
        if offset in skipped:
            continue
        day = start + datetime.timedelta(days=offset)
        for reminder in due(day, requirements=[expiring_on(lapses)]) + due(
            day, requirements=[RequirementFacts("T01", 9, 3, "missing")], targets=[target(deadline)]
        ):
            assert reminder.days_left is not None and reminder.days_left <= int(reminder.threshold)
            sent.setdefault(reminder.key, day)
    # Each threshold whose window (from reaching it to reaching the next) had a day the task ran is sent.
    for thresholds, kind in ((EXPIRY_THRESHOLDS, "expiring"), (DEADLINE_THRESHOLDS, "missing")):
        for threshold in thresholds:
            window = [
                offset
                for offset in range(days_to_go + 1)
                if threshold_reached(days_to_go - offset, thresholds) == threshold
            ]
            was_sent = any(f":{kind}:" in key and key.endswith(f":{threshold}") for key in sent)
            assert was_sent == any(offset not in skipped for offset in window)


@given(st.integers(min_value=-5, max_value=120))
def test_the_threshold_reached_is_the_most_urgent_one_not_yet_passed(days_left):
    threshold = threshold_reached(days_left, DEADLINE_THRESHOLDS)
    if days_left < 0 or days_left > max(DEADLINE_THRESHOLDS):
        assert threshold is None
    else:
        assert threshold == min(t for t in DEADLINE_THRESHOLDS if days_left <= t)
