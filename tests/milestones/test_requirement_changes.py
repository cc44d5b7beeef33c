"""Requirements added, re-bound or retired from a day, with a reason: statuses before that day do not change."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milestones.models import (
    ComplianceStatus,
    NationalDataRule,
    Requirement,
    RequirementChange,
    RequirementRevision,
    ReviewState,
    Status,
)
from milestones.services.compliance import compliance_history_backfill, statuses_compute, statuses_recompute
from milestones.services.requirements import requirement_change
from tests.factories import (
    EvidenceSubmissionFactory,
    RequirementFactory,
    SourceSnapshotFactory,
    TargetFactory,
    TrustFactory,
    UserFactory,
)

D = datetime.date
TODAY = D(2026, 11, 28)
pytestmark = pytest.mark.django_db


def approve(trust, requirement, on: datetime.date):
    reviewed_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    return EvidenceSubmissionFactory(
        trust=trust, requirement=requirement, state=ReviewState.APPROVED, reviewed_at=reviewed_at
    )


@pytest.fixture
def met_target():
    """A target every trust met in 2021, with one trust."""
    target = TargetFactory(start_date=D(2020, 1, 1), deadline=D(2027, 12, 31))
    requirement = RequirementFactory(target=target)
    trust = TrustFactory()
    approve(trust, requirement, D(2021, 3, 1))
    return target, trust


def statuses_on(trust, target, days):
    return [
        (computed.result.status, computed.result.requirements_total)
        for day in days
        for computed in statuses_compute(trusts=[trust], targets=[target], as_of=day)
    ]


def test_an_added_requirement_with_a_future_applies_from_changes_no_status_today_or_before(met_target):
    target, trust = met_target
    days = [D(2021, 3, 1), D(2023, 6, 30), TODAY - datetime.timedelta(days=1), TODAY]
    statuses_recompute(trusts=[trust], targets=[target], as_of=TODAY)
    before = statuses_on(trust, target, days)
    stored_before = ComplianceStatus.objects.get(trust=trust, target=target)
    compliance_history_backfill(since=D(2021, 1, 1), until=D(2026, 10, 31))
    snapshots_before = list(trust.compliance_snapshots.values_list("as_of", "status"))

    added = Requirement(target=target, code="new-one", title="A new requirement")
    requirement_change(
        requirement=added,
        reason="New national guidance",
        applies_from=TODAY + datetime.timedelta(days=1),
        revised_by=UserFactory(),
        revised_on=TODAY,
    )
    statuses_recompute(trusts=[trust], targets=[target], as_of=TODAY)
    compliance_history_backfill(since=D(2021, 1, 1), until=D(2026, 10, 31))

    assert before == [(Status.MET, 1)] * 4
    assert statuses_on(trust, target, days) == before
    stored = ComplianceStatus.objects.get(trust=trust, target=target)
    assert (stored.status, stored.requirements_total, stored.changed_at) == (
        Status.MET,
        1,
        stored_before.changed_at,
    )
    assert list(trust.compliance_snapshots.values_list("as_of", "status")) == snapshots_before
    # From the day it applies, it counts.
    assert statuses_on(trust, target, [TODAY + datetime.timedelta(days=1)])[0][1] == 2
    revision = RequirementRevision.objects.get(requirement=added)
    assert (revision.change, revision.applies_from, revision.reason) == (
        RequirementChange.ADDED,
        TODAY + datetime.timedelta(days=1),
        "New national guidance",
    )


def test_a_rebinding_keeps_the_old_basis_for_the_days_before_it(met_target):
    target, trust = met_target
    requirement = target.requirements.get()
    requirement.national_data_rule = NationalDataRule.EPR_IN_USE
    requirement_change(
        requirement=requirement,
        reason="Now judged by the EPR lists",
        applies_from=D(2024, 1, 1),
        revised_by=None,
        revised_on=TODAY,
    )
    assert statuses_on(trust, target, [D(2023, 12, 31)]) == [(Status.MET, 1)]
    assert statuses_on(trust, target, [D(2024, 1, 1)]) == [(Status.NO_CURRENT_DATA, 1)]
    revision = requirement.revisions.get()
    assert (revision.old_basis["rule"], revision.new_basis["rule"]) == ("", "epr_in_use")


def test_retiring_a_requirement_sets_its_last_day_and_keeps_the_reason(met_target):
    target, trust = met_target
    extra = RequirementFactory(target=target)
    extra.retired_on = D(2025, 1, 1)
    requirement_change(
        requirement=extra,
        reason="Dropped",
        applies_from=None,
        revised_by=None,
        revised_on=TODAY,
    )
    assert statuses_on(trust, target, [D(2024, 12, 31), D(2025, 1, 1)]) == [(Status.AT_RISK, 2), (Status.MET, 1)]
    assert extra.revisions.get().change == RequirementChange.RETIRED


@pytest.mark.parametrize(
    ("reason", "applies_from", "message"),
    [("", D(2025, 1, 1), "needs a reason"), ("Because", None, "needs the day it applies from")],
)
def test_a_dated_change_needs_a_reason_and_a_day(reason, applies_from, message):
    target = TargetFactory()
    with pytest.raises(ValueError, match=message):
        requirement_change(
            requirement=Requirement(target=target, code="x", title="X"),
            reason=reason,
            applies_from=applies_from,
            revised_by=None,
            revised_on=TODAY,
        )
    assert not Requirement.objects.filter(target=target).exists()


def test_a_wording_edit_needs_no_reason():
    requirement = RequirementFactory()
    requirement.title = "Better words"
    assert (
        requirement_change(requirement=requirement, reason="", applies_from=None, revised_by=None, revised_on=TODAY)
        == []
    )
    assert Requirement.objects.get(pk=requirement.pk).title == "Better words"


def test_the_admin_refuses_a_new_basis_without_a_reason_and_keeps_one_with_it(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    requirement = RequirementFactory()
    url = reverse("admin:milestones_requirement_change", args=[requirement.pk])
    form = {
        "target": requirement.target.pk,
        "display_order": 0,
        "code": requirement.code,
        "title": requirement.title,
        "description": "",
        "national_data_rule": NationalDataRule.MDF_CORE_CAPABILITIES,
        "dma_pillar": "",
        "dma_threshold": "",
        "change_reason": "",
        "change_applies_from": "",
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "Give a reason for the change." in refused.content.decode()
    assert Requirement.objects.get(pk=requirement.pk).national_data_rule == ""

    client.post(url, {**form, "change_reason": "MDF is the national definition", "change_applies_from": "2025-04-01"})
    revision = RequirementRevision.objects.get(requirement=requirement)
    assert (revision.change, revision.applies_from, revision.revised_by) == (
        RequirementChange.REBOUND,
        D(2025, 4, 1),
        admin,
    )


def test_a_dma_pillar_bound_by_an_admin_is_judged_on_the_published_scores():
    from milestones.models import Source, SourceRow

    target = TargetFactory(start_date=D(2020, 1, 1), deadline=D(2027, 12, 31))
    requirement = RequirementFactory(target=target)
    strong, weak = TrustFactory(), TrustFactory()
    snapshot = SourceSnapshotFactory(
        source=Source.DMA, edition="2025", as_at=D(2026, 3, 30), file_name="dma_2024-2025_datafile.xlsx"
    )
    # Two care settings for the strong trust: the rule reads their mean (3.0 + 4.0 = 3.5).
    for line, (trust, score) in enumerate([(strong, 3.0), (strong, 4.0), (weak, 2.5)], start=2):
        SourceRow.objects.create(snapshot=snapshot, trust=trust, line=line, edition="2025", dma_well_led=score)
    requirement.national_data_rule = NationalDataRule.DMA_PILLAR_AT_LEAST
    requirement.dma_pillar, requirement.dma_threshold = "Well Led", 3.5
    requirement_change(
        requirement=requirement, reason="Well led at 3.5", applies_from=D(2026, 4, 1), revised_by=None, revised_on=TODAY
    )

    assert statuses_on(strong, target, [TODAY]) == [(Status.MET, 1)]
    assert statuses_on(weak, target, [TODAY]) == [(Status.AT_RISK, 1)]
    # Before it applied, the requirement rested on uploads, which neither trust made.
    assert statuses_on(strong, target, [D(2026, 3, 31)]) == [(Status.AT_RISK, 1)]
