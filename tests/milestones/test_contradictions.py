"""Contradictions between published sources, and what a target's "met" rests on."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from milestones import contradictions as c
from milestones.rules import SourceKind, SourceRecord

MAY_2023, OCT_2024, MAR_2026 = datetime.date(2023, 5, 26), datetime.date(2024, 10, 1), datetime.date(2026, 3, 30)
DEADLINES = {"2022-23": datetime.date(2023, 6, 30), "2023-24": datetime.date(2024, 6, 30)}


def programme(group, status="Extend", on=MAY_2023):
    return SourceRecord(SourceKind.EPR_STATUS, on, 1, epr_group=group, epr_status=status)


def supplier(name, on=OCT_2024):
    return SourceRecord(SourceKind.EPR_SUPPLIER, on, 2, supplier=name)


def dma(smart, on=MAR_2026):
    return SourceRecord(SourceKind.DMA, on, 3, edition="2025", dma_pillars={"Ensure Smart Foundations": smart})


def dspt(status, edition="2022-23", published=datetime.date(2023, 6, 28)):
    return SourceRecord(SourceKind.DSPT, published, 4, edition=edition, dspt_status=status, published_on=published)


def test_an_epr_in_2023_and_none_in_2024_is_listed_with_both_facts_and_dates():
    (found,) = c.epr_lost([programme("Group 2"), supplier("No EPR - in process of getting one")])
    assert found.kind == c.Kind.EPR_LOST
    assert found.first == c.Fact("Frontline Digitisation report", MAY_2023, "Group 2, Extend")
    assert found.second == c.Fact("EPR supplier list", OCT_2024, 'Supplier "No EPR - in process of getting one"')


def test_no_epr_then_one_is_progress_not_a_contradiction():
    assert c.epr_lost([programme("Group 0"), supplier("Epic")]) == []
    assert c.epr_lost([programme("Group 2"), supplier("Cerner")]) == []


epr_records = st.lists(
    st.one_of(
        st.builds(programme, st.sampled_from(["Group 0", "Group 1", "Group 2", "Group 3"])),
        st.builds(supplier, st.sampled_from(["Epic", "Oracle Health", "No EPR - in process of getting one"])),
    ),
    max_size=6,
)


@given(epr_records)
def test_epr_contradictions_always_run_from_an_epr_to_none_later(records):
    for found in c.epr_lost(records):
        assert found.first.on < found.second.on
        assert found.first.source != found.second.source
        assert "No EPR" in found.second.says or "Group 0" in found.second.says


@given(epr_records)
def test_epr_contradictions_do_not_depend_on_the_order_given(records):
    assert c.epr_lost(records) == c.epr_lost(list(reversed(records)))


def test_smart_foundations_of_four_with_no_epr_is_listed():
    (found,) = c.dma_without_epr([supplier("No EPR - in process of getting one"), dma(4.2)])
    assert found.first == c.Fact("Digital Maturity Assessment", MAR_2026, "DMA 2025: Ensure smart foundations 4.2 of 5")
    assert found.second.on == OCT_2024


def test_smart_foundations_needs_a_score_of_four_and_the_latest_epr_word_to_be_none():
    assert c.dma_without_epr([supplier("No EPR - in process of getting one"), dma(3.9)]) == []
    assert (
        c.dma_without_epr([supplier("No EPR - in process of getting one"), supplier("Epic", MAR_2026), dma(4.5)]) == []
    )
    assert c.dma_without_epr([dma(5.0)]) == []  # nothing said about an EPR


def test_dspt_met_while_own_cyber_evidence_was_rejected():
    rejected = c.Review("Board-approved cyber security plan", datetime.date(2023, 2, 1), False, "Not signed off")
    (found,) = c.dspt_met_evidence_rejected([dspt("met")], [rejected], DEADLINES)
    assert found.first == c.Fact("DSPT", datetime.date(2023, 6, 28), "2022-23: Standards Met")
    assert found.second == c.Fact(
        "Evidence review", datetime.date(2023, 2, 1), 'Board-approved cyber security plan rejected: "Not signed off"'
    )


def test_a_later_approval_or_a_rejection_outside_the_year_is_not_a_contradiction():
    plan = "Board-approved cyber security plan"
    rejected = c.Review(plan, datetime.date(2023, 2, 1), False)
    approved = c.Review(plan, datetime.date(2023, 5, 1), True)
    assert c.dspt_met_evidence_rejected([dspt("met")], [rejected, approved], DEADLINES) == []
    too_early = c.Review(plan, datetime.date(2022, 3, 31), False)
    too_late = c.Review(plan, datetime.date(2024, 7, 1), False)  # after the 2023-24 deadline
    assert c.dspt_met_evidence_rejected([dspt("met")], [too_early, too_late], DEADLINES) == []
    assert c.dspt_met_evidence_rejected([dspt("not_met")], [rejected], DEADLINES) == []


def test_assurance_mix_counts_requirements_met_by_basis():
    cyber = c.assurance_mix(["dspt_met_or_exceeded"], trusts_met=140)
    assert cyber.wholly_self_assessed and cyber.share(c.Basis.SELF_ASSESSED) == 1.0
    core = c.assurance_mix(["epr_in_use", "mdf_core_capabilities", "", ""], trusts_met=10)
    assert not core.wholly_self_assessed
    assert core.met_by == {c.Basis.PROGRAMME_DATA: 20, c.Basis.REVIEWED_EVIDENCE: 20}
    assert core.share(c.Basis.SELF_ASSESSED) == 0
    assert c.assurance_mix(["", ""], trusts_met=0).share(c.Basis.REVIEWED_EVIDENCE) is None
