"""The dashboards' numbers on a small known dataset, with filters, snapshots and the cache."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.cache import dashboard_cache
from dashboards.filters import DashboardFilters
from dashboards.selectors import (
    national_dashboard,
    region_dashboard,
    statuses_computed_at,
    submissions_awaiting_review,
    trust_dashboard,
    trust_history,
    trust_lineage,
)
from milestones.generation import dashboard_generation_bump
from milestones.models import ComplianceSnapshot, EvidenceSubmission, ReviewState, Status, Target
from milestones.models.evidence import evidence_state
from milestones.services.compliance import statuses_compute
from milestones.services.day_statuses import day_statuses_ensure
from tests.dashboards.dashboard_data import FEB, JAN, closed_trust, known_dataset, status
from tests.factories import EvidenceSubmissionFactory, RequirementFactory
from trusts.models import Trust

pytestmark = pytest.mark.django_db


def headline(dashboard, code):
    return next(item for item in dashboard.headlines if item.target.code == code)


def test_national_headline_counts_and_percent_of_applicable_trusts():
    known_dataset()
    core = headline(national_dashboard(DashboardFilters(), cache=dashboard_cache()), "core-2023")
    assert core.counts == {Status.MET: 1, Status.OVERDUE: 1, Status.AT_RISK: 1, Status.NOT_APPLICABLE: 1}
    assert core.applicable == 3
    assert core.percent(Status.MET) == pytest.approx(100 / 3)
    assert core.percent(Status.NOT_APPLICABLE) is None


def test_national_counts_by_region():
    data = known_dataset()
    dashboard = national_dashboard(DashboardFilters(), cache=dashboard_cache())
    assert dashboard.by_region[(data.core.id, "Y56", "London")] == {
        Status.MET: 1,
        Status.OVERDUE: 1,
        Status.AT_RISK: 1,
    }
    assert dashboard.by_region[(data.full.id, "Y58", "South West")] == {Status.MET: 1}


def test_national_trend_counts_met_among_applicable_each_month():
    data = known_dataset()
    assert national_dashboard(DashboardFilters(), cache=dashboard_cache()).trend[data.core.id] == [
        (JAN, 1, 3),
        (FEB, 2, 3),
    ]


def test_the_trend_is_counted_again_after_a_snapshot_changes_not_after_a_recompute_alone():
    data = known_dataset()
    national_dashboard(DashboardFilters(), cache=dashboard_cache())
    dashboard_generation_bump(inputs=False)  # a recompute that changed no snapshot
    with CaptureQueriesContext(connection) as queries:
        national_dashboard(DashboardFilters(), cache=dashboard_cache())
    assert queries.captured_queries  # the page's other figures are read again
    assert not [query for query in queries.captured_queries if "compliancesnapshot" in query["sql"]]

    ComplianceSnapshot.objects.filter(target=data.core, as_of=FEB, status=Status.OVERDUE).update(status=Status.MET)
    dashboard_generation_bump(inputs=False, snapshots=True)
    trend = national_dashboard(DashboardFilters(), cache=dashboard_cache()).trend[data.core.id]
    assert trend == [(JAN, 1, 3), (FEB, 3, 3)]


def test_national_revisions_include_the_seeded_full_digitisation_slippage():
    data = known_dataset()
    deadlines = [
        new for _, _, new, _ in national_dashboard(DashboardFilters(), cache=dashboard_cache()).revisions[data.full.id]
    ]
    assert [day.year for day in deadlines] == [2020, 2023, 2024, 2025, 2026]


def test_sector_filter_counts_only_that_sector():
    known_dataset()
    core = headline(national_dashboard(DashboardFilters(sector="mental_health"), cache=dashboard_cache()), "core-2023")
    assert core.counts == {Status.OVERDUE: 1}


def test_icb_and_exemplar_filters():
    known_dataset()
    assert headline(national_dashboard(DashboardFilters(icb="XB1"), cache=dashboard_cache()), "core-2023").counts == {
        Status.AT_RISK: 1
    }
    assert headline(
        national_dashboard(DashboardFilters(exemplar="gde"), cache=dashboard_cache()), "full-2024"
    ).counts == {Status.ON_TRACK: 1}


def as_of(day: datetime.date) -> DashboardFilters:
    """Filters for `day`, its statuses stored first as the views have them stored."""
    day_statuses_ensure(as_of=day, inputs=dashboard_cache().inputs)
    return DashboardFilters(as_of=day, open_on=day)


def test_as_of_counts_what_the_rules_give_on_that_day_not_the_month_end_snapshot():
    data = known_dataset()
    day = datetime.date(2024, 2, 10)
    ruled = Counter(
        item.result.status for item in statuses_compute(trusts=Trust.objects.all(), targets=[data.core], as_of=day)
    )
    dashboard = national_dashboard(as_of(day), cache=dashboard_cache())
    assert headline(dashboard, "core-2023").counts == ruled
    # Not the 31 January snapshot (1 met, 2 on track, 1 not applicable): no trust is on track after the deadline.
    assert Status.ON_TRACK not in ruled and sum(ruled.values()) == 4
    assert statuses_computed_at(DashboardFilters(as_of=day)) is None


def test_region_dashboard_groups_by_icb_and_lists_overdue_before_at_risk():
    data = known_dataset()
    dashboard = region_dashboard(data.london, DashboardFilters(), cache=dashboard_cache())
    assert [code for code, _, _ in dashboard.trusts] == ["T01", "T02", "T03"]
    assert dashboard.by_icb[("XA1", "NHS Alpha Integrated Care Board", data.core.id)] == {
        Status.MET: 1,
        Status.OVERDUE: 1,
    }
    attention = [(code, target.code, value) for code, _, _, target, value, _ in dashboard.needs_attention]
    assert attention == [("T02", "core-2023", Status.OVERDUE), ("T03", "core-2023", Status.AT_RISK)]
    assert dashboard.cells[("T03", data.full.id)][0] == Status.MET


def test_region_dashboard_leaves_other_regions_out():
    data = known_dataset()
    dashboard = region_dashboard(data.south_west, DashboardFilters(), cache=dashboard_cache())
    assert [code for code, _, _ in dashboard.trusts] == ["T04"]
    assert headline(dashboard, "core-2023").counts == {Status.NOT_APPLICABLE: 1}


def test_cached_aggregates_stay_until_the_generation_is_bumped():
    data = known_dataset()
    before = headline(national_dashboard(DashboardFilters(), cache=dashboard_cache()), "core-2023").counts[Status.MET]
    # A status write the cache has not been told about yet.
    data.t3.compliance_statuses.filter(target=data.core).update(status=Status.MET)
    assert (
        headline(national_dashboard(DashboardFilters(), cache=dashboard_cache()), "core-2023").counts[Status.MET]
        == before
    )
    dashboard_generation_bump()
    assert (
        headline(national_dashboard(DashboardFilters(), cache=dashboard_cache()), "core-2023").counts[Status.MET]
        == before + 1
    )


def test_filters_are_cached_separately():
    known_dataset()
    assert headline(national_dashboard(DashboardFilters(), cache=dashboard_cache()), "core-2023").total == 4
    assert (
        headline(national_dashboard(DashboardFilters(sector="acute"), cache=dashboard_cache()), "core-2023").total == 2
    )


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"approved_valid": 1, "approved_expired": 1, "pending": 1, "rejected": 1}, "approved"),
        ({"approved_valid": 0, "approved_expired": 1, "pending": 1, "rejected": 0}, "pending"),
        ({"approved_valid": 0, "approved_expired": 1, "pending": 0, "rejected": 1}, "expired"),
        ({"approved_valid": 0, "approved_expired": 0, "pending": 0, "rejected": 2}, "rejected"),
        ({"approved_valid": 0, "approved_expired": 0, "pending": 0, "rejected": 0}, "missing"),
    ],
)
def test_evidence_state_precedence(counts, expected):
    assert evidence_state(**counts) == expected


def test_trust_dashboard_evidence_states_per_requirement():
    data = known_dataset()
    today = datetime.date(2025, 6, 1)
    uploaded = data.core.requirements.filter(national_data_rule="")
    requirements = [*uploaded, *(RequirementFactory(target=data.core) for _ in range(2))]
    approved, expired, pending, rejected, missing = requirements
    EvidenceSubmissionFactory(trust=data.t1, requirement=approved, state=ReviewState.APPROVED)
    EvidenceSubmissionFactory(
        trust=data.t1, requirement=expired, state=ReviewState.APPROVED, valid_until=datetime.date(2025, 1, 1)
    )
    EvidenceSubmissionFactory(trust=data.t1, requirement=pending, state=ReviewState.SUBMITTED)
    EvidenceSubmissionFactory(trust=data.t1, requirement=rejected, state=ReviewState.REJECTED)
    EvidenceSubmissionFactory(trust=data.t2, requirement=missing, state=ReviewState.APPROVED)  # another trust's
    dashboard = trust_dashboard(data.t1, today=today)
    core = next(row for row in dashboard.targets if row.target.code == "core-2023")
    states = {requirement.code: requirement.state for requirement in core.requirements}
    assert states.pop("epr-in-use") == states.pop("mdf-core-capabilities") == "no_current_data"  # no EPR file here
    assert states == {
        approved.code: "approved",
        expired.code: "expired",
        pending.code: "pending",
        rejected.code: "rejected",
        missing.code: "missing",
    }
    assert core.status == Status.MET
    history = trust_history(data.t1)
    assert history.changes == []
    assert history.timeline[data.core.id] == [(JAN, Status.MET), (FEB, Status.MET)]
    assert [change[3] for change in trust_history(data.t2).changes] == [Status.OVERDUE]


def test_trust_dashboard_marks_national_data_requirements():
    data = known_dataset()
    cyber = next(
        row
        for row in trust_dashboard(data.t1, today=datetime.date(2025, 1, 1)).targets
        if row.target.code == "cyber-2021"
    )
    assert cyber.status is None and cyber.reason == "Not computed yet."
    # No DSPT status is published for the trust: no current data, never "missing" as if it had to upload one.
    assert [(r.state, r.optional) for r in cyber.requirements] == [
        ("no_current_data", False),
        ("missing", True),
        ("missing", True),
    ]
    assert cyber.requirements[0].note == "No current data: no published DSPT data for this trust"


def test_submissions_awaiting_review_counts_pending_only_within_filters():
    data = known_dataset()
    EvidenceSubmissionFactory(trust=data.t1, state=ReviewState.SUBMITTED)
    EvidenceSubmissionFactory(trust=data.t2, state=ReviewState.SUBMITTED)
    EvidenceSubmissionFactory(trust=data.t1, state=ReviewState.APPROVED)
    assert submissions_awaiting_review(DashboardFilters()) == 2
    assert submissions_awaiting_review(DashboardFilters(sector="mental_health")) == 1
    assert EvidenceSubmission.objects.count() == 3


TODAY = datetime.date(2026, 7, 1)


def test_closed_trust_drops_out_of_current_headlines_bars_and_trust_list():
    data = known_dataset()
    closed_trust(data)
    filters = DashboardFilters(open_on=TODAY)
    national = national_dashboard(filters, cache=dashboard_cache())
    assert headline(national, "core-2023").counts == {
        Status.MET: 1,
        Status.OVERDUE: 1,
        Status.AT_RISK: 1,
        Status.NOT_APPLICABLE: 1,  # T04: community, not closed
    }
    assert national.by_region[(data.core.id, "Y56", "London")].get(Status.NOT_APPLICABLE) is None
    region = region_dashboard(data.london, filters, cache=dashboard_cache())
    assert [code for code, _, _ in region.trusts] == ["T01", "T02", "T03"]
    assert ("TZZ", data.core.id) not in region.cells
    # Counting every trust (no open_on) still finds it.
    assert (
        headline(national_dashboard(DashboardFilters(), cache=dashboard_cache()), "core-2023").counts[
            Status.NOT_APPLICABLE
        ]
        == 2
    )


def test_closed_trust_counts_on_an_as_of_date_when_it_was_open():
    data = known_dataset()
    closed_trust(data)
    january = national_dashboard(as_of(JAN), cache=dashboard_cache())
    assert headline(january, "core-2023").total == 5  # TZZ, open until 15 February, with the four others
    region = region_dashboard(data.london, as_of(JAN), cache=dashboard_cache())
    assert "TZZ" in [code for code, _, _ in region.trusts]
    february = national_dashboard(as_of(FEB), cache=dashboard_cache())
    assert headline(february, "core-2023").total == 4


def test_trend_keeps_the_closed_trusts_history():
    data = known_dataset()
    closed_trust(data)
    trend = national_dashboard(DashboardFilters(open_on=TODAY), cache=dashboard_cache()).trend[data.core.id]
    assert trend == [(JAN, 1, 4), (FEB, 2, 3)]  # January: T01 met of T01, T02, T03, TZZ


def test_attention_is_one_row_per_trust_most_targets_overdue_first():
    data = known_dataset()
    shared = Target.objects.get(code="shared-care-record-2024")
    status(data.t2, shared, Status.OVERDUE)
    status(data.t3, shared, Status.OVERDUE)
    status(data.t1, shared, Status.AT_RISK)
    rows = region_dashboard(data.london, DashboardFilters(), cache=dashboard_cache()).attention_by_trust
    assert [(row.ods_code, [t.code for t in row.overdue], [t.code for t in row.at_risk]) for row in rows] == [
        ("T02", ["core-2023", "shared-care-record-2024"], []),
        ("T03", ["shared-care-record-2024"], ["core-2023"]),
        ("T01", [], ["shared-care-record-2024"]),
    ]
    assert [(target.code, value, reason) for target, value, reason in rows[1].reasons] == [
        ("shared-care-record-2024", Status.OVERDUE, "overdue because of the test"),
        ("core-2023", Status.AT_RISK, "at_risk because of the test"),
    ]


def test_trust_lineage_names_successors_and_predecessors_the_user_may_see():
    data = known_dataset()
    closed = closed_trust(data)
    assert trust_lineage(closed, Trust.objects.all()).successors == [data.t1]
    assert trust_lineage(closed, Trust.objects.all()).predecessors == []
    assert trust_lineage(data.t1, Trust.objects.all()).predecessors == [closed]
    assert trust_lineage(data.t1, Trust.objects.all()).successors == []
    assert trust_lineage(data.t1, Trust.objects.filter(pk=data.t1.pk)).predecessors == []
    assert trust_lineage(data.t2, Trust.objects.all()).successors == []


def test_trust_lineage_of_a_split_trust_names_each_successor_once():
    data = known_dataset()
    closed = closed_trust(data)
    closed.successors.add(data.t2)
    assert trust_lineage(closed, Trust.objects.all()).successors == [data.t1, data.t2]
    assert trust_lineage(data.t2, Trust.objects.all()).predecessors == [closed]


def test_filter_form_counts_trusts_open_on_the_as_of_date_else_today():
    from dashboards.filters import dashboard_filters_from

    _, today = dashboard_filters_from({}, icbs=[], today=TODAY)
    _, past = dashboard_filters_from({"as_of": "2024-01-31"}, icbs=[], today=TODAY)
    assert (today.open_on, past.open_on) == (TODAY, JAN)
    assert today.query_string == "" and past.query_string == "?as_of=2024-01-31"
    assert today.cache_key != dashboard_filters_from({}, icbs=[], today=TODAY + datetime.timedelta(days=1))[1].cache_key


def test_icb_filter_offers_only_icbs_that_hold_trusts():
    from dashboards.selectors import icb_choices
    from tests.factories import IntegratedCareBoardFactory

    data = known_dataset()
    IntegratedCareBoardFactory(
        code="XD1", name="NHS DELTA INTEGRATED CARE BOARD", region=data.london, closed_on=datetime.date(2026, 3, 31)
    )
    assert [code for code, _ in icb_choices(data.london, cache=dashboard_cache())] == ["XA1", "XB1"]


def test_trust_history_lists_only_changes_of_status():
    from django.utils import timezone

    from milestones.models import ComplianceStatusChange

    data = known_dataset()
    # Progress within one status is recorded, but is no change of status.
    ComplianceStatusChange.objects.create(
        trust=data.t2,
        target=data.core,
        old_status=Status.OVERDUE,
        new_status=Status.OVERDUE,
        reason="1 of 3 requirements met",
        changed_at=timezone.now(),
    )
    assert [(change[2], change[3]) for change in trust_history(data.t2).changes] == [(Status.ON_TRACK, Status.OVERDUE)]
