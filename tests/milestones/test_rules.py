"""The pure compliance rules: no database, no clock; the date is an argument."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from milestones import rules
from milestones.models import Status as ModelStatus
from milestones.rules import (
    Approval,
    DeadlineRevision,
    DsptAssessmentFacts,
    NationalFacts,
    RequirementFacts,
    Status,
    TargetFacts,
    TrustFacts,
    status_for,
)

D = datetime.date
DEADLINE = D(2023, 12, 31)
EPR = RequirementFacts(1, "Electronic patient record")
EPMA = RequirementFacts(2, "Electronic prescribing")
CDS = RequirementFacts(3, "Clinical decision support")
TARGET = TargetFacts(
    start_date=D(2019, 1, 7),
    deadline=DEADLINE,
    sectors=frozenset({"acute", "mental_health"}),
    requirements=(EPR, EPMA, CDS),
)
ACUTE = TrustFacts("acute", D(2010, 4, 1))
ALL_MET = (Approval(1, D(2022, 3, 1)), Approval(2, D(2022, 5, 1)), Approval(3, D(2022, 6, 1)))
EARLY_TWO = (Approval(1, D(2020, 1, 1)), Approval(2, D(2020, 6, 1)))


def status(*, approvals=(), as_of, target=TARGET, trust=ACUTE, national=NationalFacts(), at_risk_days=90):
    return status_for(
        target=target, trust=trust, approvals=approvals, national=national, as_of=as_of, at_risk_days=at_risk_days
    )


def test_statuses_match_the_stored_choices():
    assert {s.value for s in Status} == set(ModelStatus.values)


@pytest.mark.parametrize(
    ("case", "approvals", "as_of", "expected"),
    [
        ("all met before the deadline", ALL_MET, D(2023, 1, 1), Status.MET),
        ("met on the deadline day itself", (*ALL_MET[:2], Approval(3, DEADLINE)), DEADLINE, Status.MET),
        ("unmet on the deadline day itself is not yet overdue", ALL_MET[:2], DEADLINE, Status.AT_RISK),
        ("unmet the day after the deadline", ALL_MET[:2], D(2024, 1, 1), Status.OVERDUE),
        ("met late stays met", (*ALL_MET[:2], Approval(3, D(2024, 2, 1))), D(2024, 3, 1), Status.MET),
        ("approved after as_of does not count", ALL_MET, D(2022, 5, 31), Status.AT_RISK),
        ("all open on the window's first day", (), D(2019, 1, 7), Status.ON_TRACK),
        ("all open once the window has begun to elapse", (), D(2019, 2, 1), Status.AT_RISK),
        ("behind the elapsed share of the window", ALL_MET[:1], D(2022, 1, 1), Status.AT_RISK),
        ("ahead of the elapsed share of the window", EARLY_TWO, D(2021, 1, 1), Status.ON_TRACK),
        (
            "evidence valid until yesterday no longer counts",
            (*ALL_MET[:2], Approval(3, D(2022, 6, 1), valid_until=D(2023, 5, 31))),
            D(2023, 6, 1),
            Status.AT_RISK,
        ),
        (
            "evidence valid until today still counts",
            (*ALL_MET[:2], Approval(3, D(2022, 6, 1), valid_until=D(2023, 6, 1))),
            D(2023, 6, 1),
            Status.MET,
        ),
        ("other requirements' approvals are ignored", (Approval(99, D(2020, 1, 1)),), D(2024, 1, 1), Status.OVERDUE),
    ],
)
def test_status_rules_at_their_boundaries(case, approvals, as_of, expected):
    assert status(approvals=approvals, as_of=as_of).status == expected, case


def test_at_risk_when_fewer_than_the_configured_days_are_left_even_if_ahead():
    assert status(approvals=EARLY_TWO, as_of=D(2021, 1, 1), at_risk_days=1095).status == Status.AT_RISK
    assert status(approvals=EARLY_TWO, as_of=D(2021, 1, 1), at_risk_days=1093).status == Status.ON_TRACK


@pytest.mark.parametrize(
    ("trust", "as_of", "reason"),
    [
        (TrustFacts("community", D(2010, 4, 1)), D(2023, 1, 1), "Does not apply to community trusts"),
        (TrustFacts("acute", D(2010, 4, 1), closed_on=D(2021, 9, 30)), D(2021, 10, 1), "Trust closed on 30 Sep 2021"),
        (TrustFacts("acute", D(2024, 4, 1)), D(2023, 1, 1), "Trust not open until 1 Apr 2024"),
    ],
)
def test_not_applicable_when_sector_not_covered_or_trust_not_open(trust, as_of, reason):
    result = status(approvals=ALL_MET, trust=trust, as_of=as_of)
    assert result.status == Status.NOT_APPLICABLE
    assert result.reason == reason


def test_closed_trust_is_still_judged_on_its_closing_day():
    closing = TrustFacts("acute", D(2010, 4, 1), closed_on=D(2023, 1, 1))
    assert status(approvals=ALL_MET, trust=closing, as_of=D(2023, 1, 1)).status == Status.MET


def test_reason_names_the_count_the_missing_evidence_and_the_days_left():
    result = status(approvals=(ALL_MET[0], ALL_MET[2]), as_of=D(2023, 11, 20))
    assert result.reason == "2 of 3 requirements met; Electronic prescribing: evidence missing; 41 days left"
    assert (result.requirements_met, result.requirements_total) == (2, 3)


def test_reason_of_overdue_says_when_the_deadline_passed_and_what_expired():
    approvals = (*ALL_MET[:2], Approval(3, D(2022, 6, 1), valid_until=D(2023, 6, 30)))
    result = status(approvals=approvals, as_of=D(2024, 1, 2))
    assert result.status == Status.OVERDUE
    assert result.reason == (
        "2 of 3 requirements met; Clinical decision support: evidence expired 30 Jun 2023; "
        "deadline 31 Dec 2023 passed 2 days ago"
    )


def test_met_records_the_day_the_last_requirement_was_met_and_on_time():
    result = status(approvals=ALL_MET, as_of=D(2024, 6, 1))
    assert (result.met_on, result.met_on_time) == (D(2022, 6, 1), True)
    assert result.reason == "All 3 requirements met since 1 Jun 2022, on time"


def test_met_on_is_the_start_of_the_unbroken_run_when_evidence_is_renewed():
    approvals = (
        *ALL_MET[:2],
        Approval(3, D(2021, 1, 1), valid_until=D(2021, 12, 31)),  # lapsed, then renewed later
        Approval(3, D(2022, 9, 1), valid_until=D(2023, 8, 31)),
        Approval(3, D(2023, 9, 1)),  # renewed the day after: the run goes on
    )
    assert status(approvals=approvals, as_of=D(2024, 6, 1)).met_on == D(2022, 9, 1)


FULL = TargetFacts(
    start_date=D(2013, 1, 16),
    deadline=D(2026, 3, 31),
    sectors=frozenset({"acute"}),
    requirements=(EPR,),
    revisions=(
        DeadlineRevision(D(2016, 9, 7), D(2020, 12, 31), D(2023, 12, 31)),
        DeadlineRevision(D(2024, 4, 1), D(2023, 12, 31), D(2026, 3, 31)),
    ),
)


@pytest.mark.parametrize(
    ("met_on", "on_time"),
    [
        (D(2019, 6, 1), True),  # before the 2023 deadline then in force
        (D(2024, 2, 1), False),  # after the 2023 deadline; the move to 2026 came later and does not excuse it
        (D(2024, 5, 1), True),  # after the move to 2026: on time by the deadline in force then
    ],
)
def test_on_time_is_judged_by_the_deadline_in_force_when_met(met_on, on_time):
    result = status(approvals=(Approval(1, met_on),), target=FULL, as_of=D(2026, 6, 1))
    assert (result.status, result.met_on, result.met_on_time) == (Status.MET, met_on, on_time)


def test_deadline_moved_after_the_trust_met_it_keeps_it_on_time():
    brought_forward = TargetFacts(
        start_date=D(2019, 1, 1),
        deadline=D(2021, 12, 31),
        sectors=frozenset({"acute"}),
        requirements=(EPR,),
        revisions=(DeadlineRevision(D(2023, 1, 1), D(2023, 12, 31), D(2021, 12, 31)),),
    )
    result = status(approvals=(Approval(1, D(2022, 6, 1)),), target=brought_forward, as_of=D(2023, 6, 1))
    assert (result.status, result.met_on_time) == (Status.MET, True)


def test_history_uses_the_deadline_in_force_on_that_date():
    # On 1 Jan 2018 the deadline was 2023 (moved from 2020 in 2016): at risk (nothing met yet), not overdue.
    assert status(target=FULL, as_of=D(2018, 1, 1)).status == Status.AT_RISK
    assert "deadline" not in status(target=FULL, as_of=D(2018, 1, 1)).reason
    assert status(target=FULL, as_of=D(2024, 2, 1)).status == Status.OVERDUE
    assert status(target=FULL, as_of=D(2024, 5, 1)).status == Status.AT_RISK


def test_target_without_requirements_is_never_met():
    empty = TargetFacts(D(2019, 1, 1), DEADLINE, frozenset({"acute"}), ())
    result = status(target=empty, as_of=D(2024, 1, 1))
    assert result.status == Status.OVERDUE
    assert result.reason.startswith("No requirements set yet")


# National data: a requirement met by the published DSPT status.
DSPT_REQ = RequirementFacts(7, "DSPT standards met or exceeded", rules.DSPT_MET_OR_EXCEEDED)
CYBER = TargetFacts(D(2019, 1, 7), D(2021, 6, 30), frozenset({"acute"}), (DSPT_REQ,))
DEADLINES = {"2020-21": D(2021, 6, 30), "2021-22": D(2022, 6, 30), "2022-23": D(2023, 6, 30)}


def dspt(*assessments):
    return NationalFacts(tuple(DsptAssessmentFacts(*a) for a in assessments), DEADLINES)


@pytest.mark.parametrize(
    ("case", "year", "published_on", "first_day", "last_day"),
    [
        ("from publication to the next year's deadline", "2020-21", D(2021, 6, 1), D(2021, 6, 1), D(2022, 6, 30)),
        ("no publication date: from its year's deadline", "2020-21", None, D(2021, 6, 30), D(2022, 6, 30)),
        ("next deadline unknown: a year after its own", "2022-23", D(2023, 5, 1), D(2023, 5, 1), D(2024, 6, 30)),
        ("no deadline at all: a year after publication", "2030-31", D(2031, 5, 1), D(2031, 5, 1), D(2032, 5, 1)),
    ],
)
def test_a_published_met_status_is_in_force_from_its_first_to_its_last_day(
    case, year, published_on, first_day, last_day
):
    # The day before and the day after: no current data, not overdue.
    national = dspt((year, "met", published_on))
    days = (first_day - datetime.timedelta(days=1), first_day, last_day, last_day + datetime.timedelta(days=1))
    statuses = [status(target=CYBER, national=national, as_of=day).status for day in days]
    assert statuses == [Status.NO_CURRENT_DATA, Status.MET, Status.MET, Status.NO_CURRENT_DATA], case


@pytest.mark.parametrize(
    ("case", "national", "as_of", "expected"),
    [
        ("exceeded counts too", dspt(("2020-21", "exceeded", D(2021, 6, 1))), D(2021, 6, 2), Status.MET),
        (
            "approaching standards does not meet it",
            dspt(("2020-21", "approaching", D(2021, 6, 1))),
            D(2021, 6, 2),
            Status.AT_RISK,
        ),
        (
            "renewed each year: unbroken",
            dspt(("2020-21", "met", D(2021, 6, 1)), ("2021-22", "met", None)),
            D(2023, 6, 30),
            Status.MET,
        ),
        (
            "a year with no known deadline and no date counts for nothing",
            dspt(("2030-31", "met", None)),
            D(2031, 1, 1),
            Status.NO_CURRENT_DATA,
        ),
    ],
)
def test_dspt_requirement_is_judged_from_the_published_status(case, national, as_of, expected):
    assert status(target=CYBER, national=national, as_of=as_of).status == expected, case


def test_dspt_met_on_is_the_publication_date():
    result = status(target=CYBER, national=dspt(("2020-21", "met", D(2021, 5, 4))), as_of=D(2021, 12, 1))
    assert (result.met_on, result.met_on_time) == (D(2021, 5, 4), True)


def test_uploaded_evidence_does_not_meet_a_national_data_requirement():
    result = status(target=CYBER, approvals=(Approval(7, D(2020, 1, 1)),), as_of=D(2021, 1, 1))
    assert result.status == Status.NO_CURRENT_DATA
    assert result.reason == "No current data: no published DSPT data for this trust"


def test_month_ends_cover_each_month_from_since_to_until():
    assert rules.month_ends(D(2023, 11, 15), D(2024, 2, 29)) == [
        D(2023, 11, 30),
        D(2023, 12, 31),
        D(2024, 1, 31),
        D(2024, 2, 29),
    ]


# Property tests.
days = st.dates(min_value=D(2018, 1, 1), max_value=D(2026, 12, 31))
approvals_strategy = st.lists(
    st.builds(
        Approval,
        requirement_id=st.sampled_from([1, 2, 3]),
        approved_on=days,
        valid_until=st.none() | days,
    ),
    max_size=6,
)


@given(approvals=approvals_strategy, extra=approvals_strategy.map(lambda a: a[:1]).filter(bool), as_of=days)
def test_approving_one_more_submission_never_makes_a_status_worse(approvals, extra, as_of):
    before = status(approvals=approvals, as_of=as_of)
    after = status(approvals=[*approvals, *extra], as_of=as_of)
    assert rules.STATUS_RANK[after.status] >= rules.STATUS_RANK[before.status]
    assert after.requirements_met >= before.requirements_met


@given(approvals=approvals_strategy, later=approvals_strategy, as_of=days)
def test_status_as_of_a_date_never_depends_on_evidence_submitted_after_it(approvals, later, as_of):
    # Evidence submitted after as_of is necessarily approved after it too.
    after_as_of = [
        Approval(a.requirement_id, max(a.approved_on, as_of + datetime.timedelta(days=1)), a.valid_until) for a in later
    ]
    assert status(approvals=approvals, as_of=as_of) == status(approvals=[*approvals, *after_as_of], as_of=as_of)
