"""Every write that changes what the dashboards show bumps the cache generation in its own
transaction; a write that changes nothing shown leaves it alone."""

import datetime

import pytest
from django.utils import timezone

from dashboards.cache import dashboard_cache
from milestones.generation import dashboard_generation_bump, dashboard_generation_bumps_deferred
from milestones.importers.dspt import DsptRow
from milestones.models import ComplianceStatus, ComplianceStatusChange, DsptStatus, RecomputeRequest
from milestones.services.compliance import (
    compliance_history_backfill,
    recompute_requests_drain,
    statuses_recompute,
)
from milestones.services.dspt import dspt_assessments_apply
from milestones.services.recompute import recompute_request
from milestones.services.register import ods_import_apply, trust_update
from milestones.services.requirements import requirement_change
from milestones.services.sources import dspt_file_import
from milestones.services.targets import requirement_delete, target_update
from tests.factories import RequirementFactory, TrustFactory, UserFactory
from trusts import services as trust_services
from trusts.models import Trust

D = datetime.date
pytestmark = pytest.mark.django_db


def generation() -> int:
    return dashboard_cache().generation


def test_every_recompute_bumps_as_the_pages_say_when_statuses_were_last_computed(target):
    trust = TrustFactory()
    before = generation()
    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 5))
    assert generation() == before + 1
    # No status changes, but "Statuses last computed" does, on pages cached whole.
    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 5))
    assert generation() == before + 2


def test_a_change_of_reason_alone_bumps(target):
    trust = TrustFactory()
    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 5))
    reason, changes, before = (
        ComplianceStatus.objects.get().reason,
        ComplianceStatusChange.objects.count(),
        generation(),
    )
    ComplianceStatus.objects.update(reason="Computed by an older release.")
    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 5))
    assert ComplianceStatus.objects.get().reason == reason
    assert ComplianceStatusChange.objects.count() == changes  # not a change of status
    assert generation() == before + 1


def test_history_backfill_bumps(target):
    TrustFactory()
    before = generation()
    compliance_history_backfill(since=D(2024, 1, 1), until=D(2024, 2, 29))
    assert generation() > before


def test_target_edits_reschedules_and_requirement_edits_bump(target):
    before = generation()
    target.title = "Renamed target"
    target_update(
        target=target,
        changed_fields=["title"],
        saved_deadline=target.deadline,
        deadline_change_reason="",
        revised_by=None,
    )
    target.deadline = D(2025, 3, 31)
    target_update(
        target=target,
        changed_fields=["deadline"],
        saved_deadline=D(2024, 12, 31),
        deadline_change_reason="Moved by the programme board",
        revised_by=UserFactory(),
    )
    requirement = RequirementFactory.build(target=target, code="new-one", title="New requirement")
    requirement_change(
        requirement=requirement,
        reason="Added by the programme board",
        applies_from=D(2024, 6, 1),
        revised_by=UserFactory(),
        revised_on=D(2024, 6, 1),
    )
    requirement_delete(requirement=requirement)
    assert generation() == before + 4


def test_an_admin_edit_of_title_and_deadline_is_announced_once(target):
    """One edit, one announcement: one bump and one recompute request, not one per field changed."""
    before = generation()
    target.title = "Renamed target"
    target.deadline = D(2025, 3, 31)
    target_update(
        target=target,
        changed_fields=["title", "deadline"],
        saved_deadline=D(2024, 12, 31),
        deadline_change_reason="Moved by the programme board",
        revised_by=UserFactory(),
    )
    assert generation() == before + 1
    [request] = RecomputeRequest.objects.filter(target=target)
    assert request.reason == "target changed: title; deadline moved from 2024-12-31 to 2025-03-31"
    target.refresh_from_db()
    assert (target.title, target.deadline, target.revisions.get().old_deadline) == (
        "Renamed target",
        D(2025, 3, 31),
        D(2024, 12, 31),
    )


def test_dspt_import_bumps_only_when_a_status_is_new_or_changed():
    trust = TrustFactory()
    rows = [
        DsptRow(
            line=2, code=trust.ods_code, year="2020-21", status=DsptStatus.STANDARDS_MET, published_on=D(2021, 6, 1)
        )
    ]
    before = generation()
    dspt_assessments_apply(rows=rows, source_file="dspt.csv", source_sha256="0" * 64)
    assert generation() == before + 1
    dspt_assessments_apply(rows=rows, source_file="dspt.csv", source_sha256="0" * 64)
    assert generation() == before + 1


def test_a_dspt_file_import_that_changes_a_status_is_announced_once(tmp_path):
    """The snapshot and the statuses it changes are one write: one bump, one request per DSPT target."""
    TrustFactory(ods_code="T1A")
    path = tmp_path / "dspt.csv"
    path.write_text("Code,Status\nT1A,22/23 Standards Met\n")
    before = generation()

    summary = dspt_file_import(path=path, as_at=D(2023, 7, 1))

    assert summary.dspt.created == 1
    assert generation() == before + 1
    assert list(RecomputeRequest.objects.values_list("target__code", flat=True)) == ["cyber-2021"]


def test_ods_register_changes_and_trust_edits_bump():
    before = generation()
    ods_import_apply(extract=trust_services.DATA_DIR / "etr.csv")
    assert generation() == before + 1  # one announcement for the whole import
    ods_import_apply(extract=trust_services.DATA_DIR / "etr.csv")
    assert generation() == before + 1
    trust = Trust.objects.filter(closed_on__isnull=True).first()
    trust.name = "RENAMED NHS TRUST"
    trust_update(trust=trust, changed_fields=["name"])
    assert generation() == before + 2
    assert not RecomputeRequest.objects.filter(trust=trust).exists()
    trust.closed_on = timezone.localdate()
    trust_update(trust=trust, changed_fields=["closed_on"])
    assert generation() == before + 3
    assert RecomputeRequest.objects.filter(trust=trust).count() == 1


def test_a_dspt_deadline_saved_in_the_admin_bumps(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    before = generation()
    response = client.post(
        "/admin/milestones/dsptsubmissiondeadline/add/", {"year": "2031-32", "deadline": "2032-06-30"}
    )
    assert response.status_code == 302
    assert generation() == before + 1


def test_bumps_within_a_deferral_are_made_once_at_its_end():
    before = generation()
    with dashboard_generation_bumps_deferred():
        dashboard_generation_bump()
        dashboard_generation_bump()
        assert generation() == before  # the row is not locked yet
    assert generation() == before + 1


def test_outbox_drain_bumps_once_after_all_its_recomputes(target, settings):
    settings.RECOMPUTE_DRAIN_MIN_AGE_SECONDS = 0
    trust, other = TrustFactory(), TrustFactory()
    recompute_request(trust=trust, reason="lost task")
    recompute_request(target=target, reason="lost task")  # reaches `other` too: a second write
    before = generation()
    assert recompute_requests_drain(as_of=D(2024, 3, 5)) == 2
    assert ComplianceStatus.objects.filter(trust=other, target=target).exists()
    assert generation() == before + 1


def snapshots_generation() -> int:
    return dashboard_cache().snapshots


def test_a_recompute_moves_the_snapshots_generation_only_when_a_snapshot_changes(target):
    trust = TrustFactory()
    before = snapshots_generation()
    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 5))  # the month's first
    assert snapshots_generation() == before + 1
    statuses_recompute(trusts=[trust], targets=[target], as_of=D(2024, 3, 6))  # the same status
    assert snapshots_generation() == before + 1


def test_a_history_backfill_moves_the_snapshots_generation(target):
    TrustFactory()
    before = snapshots_generation()
    compliance_history_backfill(since=D(2024, 1, 1), until=D(2024, 3, 31))
    assert snapshots_generation() == before + 1


def test_a_deferral_keeps_whether_any_of_its_bumps_changed_a_snapshot():
    before = dashboard_cache()
    with dashboard_generation_bumps_deferred():
        dashboard_generation_bump(inputs=False, snapshots=True)
        dashboard_generation_bump(inputs=False)
    after = dashboard_cache()
    assert (after.generation, after.inputs, after.snapshots) == (
        before.generation + 1,
        before.inputs,
        before.snapshots + 1,
    )
