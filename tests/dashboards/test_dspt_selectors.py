"""Reads of DSPT statuses for the cyber views and the trust page, and the cyber status they drive."""

import datetime

import pytest
from django.utils import timezone

from dashboards.filters import DashboardFilters
from dashboards.selectors.dspt import (
    dspt_counts_by_year_and_icb,
    dspt_counts_by_year_and_region,
    dspt_for_trust,
    dspt_history_for_trust,
    dspt_shares_meeting_on,
)
from milestones.importers.dspt import DsptRow
from milestones.models import ComplianceStatus, DsptAssessment, DsptStatus, Target
from milestones.services.compliance import statuses_recompute
from milestones.services.dspt import dspt_assessments_apply
from tests.factories import RegionFactory, TrustFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def assess(trust, year, status, published_on=None, source_file="dspt.csv"):
    return DsptAssessment.objects.create(
        trust=trust,
        year=year,
        status=status,
        published_on=published_on,
        source_file=source_file,
        source_sha256="0" * 64,
        imported_at=timezone.now(),
    )


@pytest.fixture
def trusts():
    london, south_west = RegionFactory(code="Y56", name="London"), RegionFactory(code="Y58", name="South West")
    a, b, c = TrustFactory(region=london), TrustFactory(region=london), TrustFactory(region=south_west)
    assess(a, "2020-21", DsptStatus.STANDARDS_MET, D(2021, 6, 1))
    assess(b, "2020-21", DsptStatus.APPROACHING_STANDARDS, D(2021, 6, 1))
    assess(c, "2020-21", DsptStatus.STANDARDS_EXCEEDED, D(2021, 7, 15))
    assess(a, "2021-22", DsptStatus.STANDARDS_MET)
    assess(a, "2019-20", DsptStatus.STANDARDS_MET)
    return a, b, c


def test_counts_by_year_region_and_status_from_2020_21(trusts):
    assert [(c.year, c.group, c.status, c.trusts) for c in dspt_counts_by_year_and_region()] == [
        ("2020-21", "London", "met", 1),
        ("2020-21", "London", "approaching", 1),
        ("2020-21", "South West", "exceeded", 1),
        ("2021-22", "London", "met", 1),
    ]
    assert len(dspt_counts_by_year_and_region(region_code="Y58")) == 1


def test_counts_by_icb_within_a_region_and_the_filters(trusts):
    a, b, _ = trusts
    counts = dspt_counts_by_year_and_icb(DashboardFilters(), region_code="Y56")
    assert {(c.year, c.group, c.status, c.trusts) for c in counts} == {
        ("2020-21", a.icb.display_name, "met", 1),
        ("2020-21", b.icb.display_name, "approaching", 1),
        ("2021-22", a.icb.display_name, "met", 1),
    }
    only_b = dspt_counts_by_year_and_icb(DashboardFilters(icb=b.icb.code), region_code="Y56")
    assert [(c.group, c.status) for c in only_b] == [(b.icb.display_name, "approaching")]
    [share] = dspt_shares_meeting_on([D(2021, 6, 30)], DashboardFilters(icb=b.icb.code))
    assert (share.meeting, share.open_trusts) == (0, 1)


def test_share_meeting_the_standard_at_the_summer_2021_deadline_and_later(trusts):
    deadline, later = dspt_shares_meeting_on([D(2021, 6, 30), D(2021, 8, 1)])
    assert (deadline.meeting, deadline.open_trusts) == (1, 3)  # c published after the deadline
    assert later.meeting == 2
    [london] = dspt_shares_meeting_on([D(2021, 8, 1)], region_code="Y56")
    assert (london.meeting, london.open_trusts) == (1, 2)


def test_trust_history_oldest_first_with_what_later_files_replaced(trusts):
    a = trusts[0]
    dspt_assessments_apply(
        rows=[DsptRow(2, a.ods_code, "2021-22", DsptStatus.STANDARDS_EXCEEDED, None)],
        source_file="later.csv",
        source_sha256="1" * 64,
    )
    history = dspt_history_for_trust(a)
    assert [(h.year, h.status) for h in history] == [("2019-20", "met"), ("2020-21", "met"), ("2021-22", "exceeded")]
    assert history[-1].replaced == (("met", "dspt.csv"),)


def test_assessment_meeting_the_requirement_on_a_day(trusts):
    a, b, _ = trusts
    assert dspt_for_trust(a).meeting_on(D(2021, 6, 15)).year == "2020-21"
    assert dspt_for_trust(a).meeting_on(D(2022, 7, 1)).year == "2021-22"  # from its deadline
    assert dspt_for_trust(b).meeting_on(D(2021, 6, 15)) is None


def test_imported_status_meets_the_cyber_targets_national_data_requirement(trusts):
    a, b, _ = trusts
    cyber = Target.objects.get(code="cyber-2021")
    statuses_recompute(trusts=[a, b], targets=[cyber], as_of=D(2021, 6, 30))
    met = dict(ComplianceStatus.objects.filter(target=cyber).values_list("trust", "requirements_met"))
    assert met == {a.pk: 1, b.pk: 0}
    assert (
        "DSPT 2020-21 status not Standards Met or Exceeded"
        in ComplianceStatus.objects.get(trust=b, target=cyber).reason
    )
