"""Requirements met by published national data, their currency, and requirement changes with a date.

Pure rules: no database, no clock.
"""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from milestones import rules
from milestones.models import NationalDataRule
from milestones.rules import (
    Approval,
    Basis,
    NationalFacts,
    PendingUpload,
    Rebinding,
    RequirementFacts,
    RequirementState,
    SourceKind,
    SourceRecord,
    Status,
    TargetFacts,
    TrustFacts,
    requirement_status,
    status_for,
)

D = datetime.date
ACUTE = TrustFacts("acute", D(2010, 4, 1))
EPR_2023 = D(2023, 5, 26)
SUPPLIERS_2024 = D(2024, 10, 1)
DSPT_2023 = D(2023, 11, 16)
DMA_2025 = D(2025, 3, 31)
IN_USE = RequirementFacts(11, "An EPR in use", rules.EPR_IN_USE)
MDF = RequirementFacts(12, "MDF core capabilities", rules.MDF_CORE_CAPABILITIES)
CORE = TargetFacts(D(2019, 1, 7), D(2023, 12, 31), frozenset({"acute"}), (IN_USE, MDF))
DSPT_DEADLINES = {"2021-22": D(2022, 6, 30), "2022-23": D(2023, 6, 30), "2023-24": D(2024, 6, 30)}


def group(name, status="Extend", as_at=EPR_2023, snapshot_id=1):
    return SourceRecord(SourceKind.EPR_STATUS, as_at, snapshot_id, epr_group=name, epr_status=status)


def supplier(name, as_at=SUPPLIERS_2024, snapshot_id=2):
    return SourceRecord(SourceKind.EPR_SUPPLIER, as_at, snapshot_id, supplier=name)


def dspt(edition, status, published_on=None, as_at=DSPT_2023, snapshot_id=3):
    return SourceRecord(
        SourceKind.DSPT, as_at, snapshot_id, edition=edition, dspt_status=status, published_on=published_on
    )


def facts(*records):
    return NationalFacts(records=records, dspt_deadlines=DSPT_DEADLINES)


def state(requirement, national, as_of, approvals=(), pending=()):
    return requirement_status(requirement, approvals, national, as_of, pending).state


def status(target, national, as_of, approvals=(), pending=()):
    return status_for(
        target=target,
        trust=ACUTE,
        approvals=approvals,
        national=national,
        as_of=as_of,
        at_risk_days=90,
        pending=pending,
    )


def test_the_rules_match_the_stored_choices():
    named = {rules.DSPT_MET_OR_EXCEEDED, rules.EPR_IN_USE, rules.MDF_CORE_CAPABILITIES}
    assert {*named, rules.DMA_PILLAR_AT_LEAST, ""} == set(NationalDataRule.values)


@pytest.mark.parametrize(
    ("case", "records", "as_of", "expected"),
    [
        ("Group 0 is read as no EPR", (group("Group 0"),), D(2023, 6, 1), RequirementState.UNMET),
        ("any other group is an EPR in use", (group("Group 1"),), D(2023, 6, 1), RequirementState.MET),
        ("group wording is matched loosely", (group(" group 0 "),), D(2023, 6, 1), RequirementState.UNMET),
        ("a named supplier is an EPR in use", (supplier("Epic"),), D(2024, 10, 2), RequirementState.MET),
        (
            "No EPR in the supplier list",
            (supplier("No EPR - in process of getting one"),),
            D(2024, 10, 2),
            RequirementState.UNMET,
        ),
        ("stays in force until a later snapshot", (group("Group 2"),), D(2030, 1, 1), RequirementState.MET),
        ("nothing before the first snapshot", (group("Group 2"),), D(2023, 5, 25), RequirementState.NO_CURRENT_DATA),
        ("an empty group says nothing", (group(""),), D(2023, 6, 1), RequirementState.NO_CURRENT_DATA),
        ("no row for the trust at all", (), D(2024, 1, 1), RequirementState.NO_CURRENT_DATA),
    ],
)
def test_epr_in_use_from_the_programme_group_or_the_supplier_list(case, records, as_of, expected):
    assert state(IN_USE, facts(*records), as_of) == expected, case


@pytest.mark.parametrize(
    ("epr_group", "supplier_name", "before", "from_then"),
    [
        ("Group 0", "Oracle Cerner", RequirementState.UNMET, RequirementState.MET),
        ("Group 2", "No EPR - in process of getting one", RequirementState.MET, RequirementState.UNMET),
    ],
)
def test_the_earlier_snapshot_stands_until_the_later_one_wins(epr_group, supplier_name, before, from_then):
    national = facts(group(epr_group), supplier(supplier_name))
    days = (SUPPLIERS_2024 - datetime.timedelta(days=1), SUPPLIERS_2024, SUPPLIERS_2024 + datetime.timedelta(days=1))
    assert [state(IN_USE, national, day) for day in days] == [before, from_then, from_then]


@pytest.mark.parametrize(
    ("epr_status", "expected"),
    [
        ("Already meets the core capabilities in the MDF", RequirementState.MET),
        ("already meets the core capabilities in the MDF ", RequirementState.MET),
        ("Optimising", RequirementState.UNMET),
        ("Implementing a new", RequirementState.UNMET),
        ("", RequirementState.NO_CURRENT_DATA),
    ],
)
def test_mdf_core_capabilities_from_the_programme_status(epr_status, expected):
    assert state(MDF, facts(group("Group 3", epr_status)), D(2023, 6, 1)) == expected


def test_the_supplier_list_says_nothing_about_the_mdf():
    # A later supplier list neither ends the programme status's currency nor meets the MDF rule.
    national = facts(group("Group 3", "Already meets the core capabilities in the MDF"), supplier("Epic"))
    assert state(MDF, national, D(2025, 1, 1)) == RequirementState.MET


DMA_WELL_LED = RequirementFacts(21, "Well led at least 3", rules.DMA_PILLAR_AT_LEAST, "Well led", 3.0)


def dma(score, edition="2025", as_at=DMA_2025, snapshot_id=4):
    return SourceRecord(SourceKind.DMA, as_at, snapshot_id, edition=edition, dma_pillars={"Well led": score})


@pytest.mark.parametrize(
    ("records", "as_of", "expected"),
    [
        ((dma(3.0),), D(2025, 4, 1), RequirementState.MET),
        ((dma(2.9),), D(2025, 4, 1), RequirementState.UNMET),
        ((dma(2.0, "2024", D(2024, 3, 31), 5), dma(3.5)), D(2025, 3, 30), RequirementState.UNMET),
        ((dma(2.0, "2024", D(2024, 3, 31), 5), dma(3.5)), D(2025, 3, 31), RequirementState.MET),
        ((dma(4.0),), D(2025, 3, 30), RequirementState.NO_CURRENT_DATA),
    ],
)
def test_dma_pillar_at_least_a_threshold(records, as_of, expected):
    assert state(DMA_WELL_LED, facts(*records), as_of) == expected


def test_a_dma_rule_for_another_pillar_has_no_data():
    other = RequirementFacts(22, "Improve care", rules.DMA_PILLAR_AT_LEAST, "Improve care", 2.0)
    assert state(other, facts(dma(5.0)), D(2025, 4, 1)) == RequirementState.NO_CURRENT_DATA


DSPT_REQ = RequirementFacts(7, "DSPT standards met or exceeded", rules.DSPT_MET_OR_EXCEEDED)
CYBER = TargetFacts(D(2019, 1, 7), D(2021, 6, 30), frozenset({"acute"}), (DSPT_REQ,))


def test_dspt_from_published_records_lapses_into_no_current_data_never_overdue():
    national = facts(dspt("2022-23", "met", D(2023, 6, 20)))
    assert status(CYBER, national, D(2024, 6, 30)).status == Status.MET
    lapsed = status(CYBER, national, D(2024, 7, 1))
    assert lapsed.status == Status.NO_CURRENT_DATA
    assert lapsed.reason == "No current data: latest DSPT published 2022-23"


def test_dspt_not_met_in_force_is_overdue_past_the_deadline():
    result = status(CYBER, facts(dspt("2022-23", "not_met", D(2023, 6, 20))), D(2023, 9, 30))
    assert result.status == Status.OVERDUE
    assert "DSPT 2022-23 status not Standards Met or Exceeded" in result.reason
    assert result.requirements[0].record.snapshot_id == 3


def test_the_reason_and_state_name_the_snapshot_behind_them():
    result = status(CORE, facts(group("Group 0", "Implementing a new")), D(2023, 6, 1))
    assert result.status == Status.AT_RISK
    assert result.data_as_at == EPR_2023
    assert [s.state for s in result.requirements] == [RequirementState.UNMET, RequirementState.UNMET]
    assert "no EPR in use (Frontline Digitisation EPR status of 26 May 2023: Group 0)" in result.reason


def test_core_has_no_current_data_before_the_first_epr_snapshot():
    result = status(CORE, facts(group("Group 3", "Already meets the core capabilities in the MDF")), D(2023, 5, 1))
    assert result.status == Status.NO_CURRENT_DATA
    assert result.reason.startswith("No current data: no published Frontline Digitisation EPR status or EPR")


# Optional evidence and requirements that change with a date.
PLAN = RequirementFacts(8, "Board cyber plan", optional=True)
CYBER_WITH_PLAN = TargetFacts(D(2019, 1, 7), D(2021, 6, 30), frozenset({"acute"}), (DSPT_REQ, PLAN))


def test_optional_evidence_is_listed_but_never_changes_the_national_status():
    national = facts(dspt("2022-23", "met", D(2023, 6, 20)))
    without = status(CYBER_WITH_PLAN, national, D(2023, 9, 30))
    with_plan = status(CYBER_WITH_PLAN, national, D(2023, 9, 30), approvals=(Approval(8, D(2020, 1, 1)),))
    assert without.status == with_plan.status == Status.MET
    assert (without.requirements_met, without.requirements_total) == (1, 1)
    assert [(s.requirement_id, s.counts) for s in without.requirements] == [(7, True), (8, False)]


EPMA = RequirementFacts(2, "Electronic prescribing")
TODAY = D(2026, 11, 28)
ADDED_LATER = RequirementFacts(3, "Clinical decision support", applies_from=TODAY + datetime.timedelta(days=30))
LOCAL = TargetFacts(D(2019, 1, 7), D(2027, 12, 31), frozenset({"acute"}), (EPMA,))
LOCAL_PLUS = TargetFacts(D(2019, 1, 7), D(2027, 12, 31), frozenset({"acute"}), (EPMA, ADDED_LATER))


@given(as_of=st.dates(min_value=D(2019, 1, 7), max_value=TODAY), approved=st.dates(D(2019, 1, 1), TODAY))
def test_an_added_requirement_with_a_future_applies_from_changes_no_status_today_or_before(as_of, approved):
    approvals = (Approval(2, approved),)
    assert status(LOCAL_PLUS, NationalFacts(), as_of, approvals) == status(LOCAL, NationalFacts(), as_of, approvals)


def test_an_added_requirement_counts_from_its_applies_from_date():
    approvals = (Approval(2, D(2020, 1, 1)),)
    assert status(LOCAL_PLUS, NationalFacts(), ADDED_LATER.applies_from, approvals).requirements_total == 2


def test_a_retired_requirement_counts_up_to_the_day_before_it_retires():
    retired = RequirementFacts(3, "Clinical decision support", retired_on=D(2024, 1, 1))
    target = TargetFacts(D(2019, 1, 7), D(2027, 12, 31), frozenset({"acute"}), (EPMA, retired))
    approvals = (Approval(2, D(2020, 1, 1)),)
    assert status(target, NationalFacts(), D(2023, 12, 31), approvals).status == Status.AT_RISK
    assert status(target, NationalFacts(), D(2024, 1, 1), approvals).status == Status.MET


def test_a_rebinding_judges_days_before_it_by_the_old_basis():
    # Evidence until 1 June 2024, then the EPR rule.
    rebound = RequirementFacts(11, "An EPR in use", rules.EPR_IN_USE, rebindings=(Rebinding(D(2024, 6, 1), Basis()),))
    target = TargetFacts(D(2019, 1, 7), D(2027, 12, 31), frozenset({"acute"}), (rebound,))
    national = facts(group("Group 0"))
    approvals = (Approval(11, D(2022, 1, 1)),)
    assert status(target, national, D(2024, 5, 31), approvals).status == Status.MET
    assert status(target, national, D(2024, 6, 1), approvals).status == Status.AT_RISK


def test_a_pending_upload_shows_as_pending_until_it_is_decided():
    pending = (PendingUpload(2, D(2024, 1, 1), closed_on=D(2024, 2, 1), submission_id=9),)
    during = requirement_status(EPMA, (), NationalFacts(), D(2024, 1, 15), pending)
    assert (during.state, during.submission_id, during.note) == (
        RequirementState.PENDING,
        9,
        "Electronic prescribing: pending review",
    )
    assert state(EPMA, NationalFacts(), D(2024, 2, 1), pending=pending) == RequirementState.UNMET


def test_met_by_the_deadline_is_judged_on_the_deadline_then_in_force():
    approvals = (Approval(2, D(2021, 1, 1), valid_until=D(2022, 1, 1)),)
    target = TargetFacts(D(2019, 1, 7), D(2021, 6, 30), frozenset({"acute"}), (EPMA,))
    result = status(target, NationalFacts(), D(2023, 1, 1), approvals)
    assert (result.status, result.met_by_deadline) == (Status.OVERDUE, True)
    assert status(target, NationalFacts(), D(2021, 6, 30), approvals).met_by_deadline is None


# Property tests for currency.
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2027, 12, 31))
editions = st.sampled_from(["2021-22", "2022-23", "2023-24"])
dspt_records = st.lists(
    st.builds(
        dspt,
        edition=editions,
        status=st.sampled_from(["met", "exceeded", "approaching", "not_met", "not_published"]),
        published_on=st.none() | days,
    ),
    max_size=4,
)
epr_records = st.lists(
    st.one_of(
        st.builds(group, name=st.sampled_from(["Group 0", "Group 1", "Group 2", ""]), as_at=days),
        st.builds(supplier, name=st.sampled_from(["Epic", "No EPR - in process of getting one"]), as_at=days),
    ),
    max_size=4,
)


@given(records=dspt_records, as_of=days)
def test_a_dspt_record_is_in_force_only_until_the_next_editions_deadline(records, as_of):
    result = state(DSPT_REQ, facts(*records), as_of)
    in_force = []
    for record in records:
        start = record.published_on or DSPT_DEADLINES[record.edition]
        end = DSPT_DEADLINES.get(rules.next_dspt_year(record.edition), D(2025, 6, 30))
        if start <= as_of <= end:
            in_force.append(record)
    if not in_force:
        assert result == RequirementState.NO_CURRENT_DATA
    elif any(r.dspt_status in ("met", "exceeded") for r in in_force):
        assert result == RequirementState.MET
    else:
        assert result == RequirementState.UNMET


@given(records=epr_records, as_of=days)
def test_epr_facts_stay_in_force_until_a_later_snapshot_says_otherwise(records, as_of):
    result = state(IN_USE, facts(*records), as_of)
    speaking = [r for r in records if rules.epr_in_use(r) is not None and r.as_at <= as_of]
    if not speaking:
        assert result == RequirementState.NO_CURRENT_DATA
    else:
        latest_day = max(r.as_at for r in speaking)
        latest = [rules.epr_in_use(r) for r in speaking if r.as_at == latest_day]
        if len(set(latest)) == 1:
            assert result == (RequirementState.MET if latest[0] else RequirementState.UNMET)


@given(records=dspt_records, as_of=days)
def test_a_lapsed_national_requirement_is_never_overdue(records, as_of):
    result = status(CYBER, facts(*records), as_of)
    lapsed = state(DSPT_REQ, facts(*records), as_of) == RequirementState.NO_CURRENT_DATA
    assert (result.status == Status.NO_CURRENT_DATA) == lapsed
    if lapsed:
        assert result.status != Status.OVERDUE and result.reason.startswith("No current data")


@given(records=epr_records, extra=epr_records, as_of=days)
def test_snapshots_published_after_as_of_never_change_its_status(records, extra, as_of):
    later = [r for r in extra if r.as_at > as_of]
    assert status(CORE, facts(*records), as_of) == status(CORE, facts(*records, *later), as_of)


@given(records=dspt_records, epr=epr_records, as_of=days, deadline=days)
def test_met_by_the_deadline_agrees_with_the_status_on_that_day(records, epr, as_of, deadline):
    target = TargetFacts(D(2019, 1, 7), deadline, frozenset({"acute"}), (DSPT_REQ, IN_USE, PLAN))
    national = facts(*records, *epr)
    result = status(target, national, as_of)
    if deadline >= as_of:
        assert result.met_by_deadline is None
    else:
        assert result.met_by_deadline == (status(target, national, deadline).status == Status.MET)
