"""Every admin page loads for a superuser with data present; targets are edited through services."""

import datetime
import hashlib

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from milestones.models import (
    ComplianceSnapshot,
    ComplianceStatusChange,
    DsptAssessment,
    DsptAssessmentChange,
    DsptDeadlineRevision,
    DsptStatus,
    DsptSubmissionDeadline,
    RecomputeRequest,
    Reminder,
    Requirement,
    Source,
    SourceRow,
    SourceSnapshot,
    Status,
    Target,
)
from tests.factories import ComplianceStatusFactory, EvidenceSubmissionFactory, TrustFactory, UserFactory
from trusts.models import Sector, Trust

OWN_APPS = {"trusts", "milestones", "auth"}


@pytest.fixture
def data(db, superuser):
    trust = TrustFactory()
    trust.cio_users.add(UserFactory())
    target = Target.objects.get(code="cyber-2021")
    requirement = target.requirements.get(code="board-cyber-plan")
    EvidenceSubmissionFactory(trust=trust, requirement=requirement, submitted_by=superuser)
    ComplianceStatusFactory(trust=trust, target=target)
    ComplianceStatusChange.objects.create(
        trust=trust, target=target, new_status=Status.ON_TRACK, reason="test", changed_at=timezone.now()
    )
    ComplianceSnapshot.objects.create(
        trust=trust, target=target, as_of=datetime.date(2024, 1, 31), status=Status.AT_RISK
    )
    assessment = DsptAssessment.objects.create(
        trust=trust,
        year="2020-21",
        status=DsptStatus.STANDARDS_MET,
        source_file="dspt_2020-21.csv",
        source_sha256=hashlib.sha256(b"x").hexdigest(),
        imported_at=timezone.now(),
    )
    DsptAssessmentChange.objects.create(
        assessment=assessment,
        old_status=DsptStatus.NOT_PUBLISHED,
        old_source_file="old.csv",
        old_source_sha256=hashlib.sha256(b"y").hexdigest(),
        replaced_at=timezone.now(),
    )
    RecomputeRequest.objects.create(trust=trust, reason="test")
    Reminder.objects.create(
        key=f"{superuser.pk}:deadline:{trust.ods_code}/target/1:30",
        recipient=superuser,
        kind="deadline",
        to="admin@example.nhs.uk",
        subject="DigiTrack: a deadline in 30 days",
        body_text="text",
        body_html="<p>html</p>",
        url="https://digitrack.example.nhs.uk/",
        due_on=datetime.date(2026, 1, 1),
        created_at=timezone.now(),
    )
    snapshot = SourceSnapshot.objects.create(
        source=Source.EPR_STATUS,
        as_at=datetime.date(2023, 5, 26),
        file_name="epr.csv",
        sha256=hashlib.sha256(b"z").hexdigest(),
        imported_at=timezone.now(),
        rows_read=1,
        rows_loaded=1,
    )
    SourceRow.objects.create(snapshot=snapshot, trust=trust, line=2, code_in_file=trust.ods_code, epr_group="Group 2")
    DsptDeadlineRevision.objects.create(
        deadline=DsptSubmissionDeadline.objects.get(year="2020-21"),
        revised_on=datetime.date(2021, 5, 1),
        old_deadline=datetime.date(2021, 3, 31),
        new_deadline=datetime.date(2021, 6, 30),
        reason="test",
        revised_by=superuser,
    )
    return trust


def _admin_models():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize("model", [model for model, _ in _admin_models()], ids=lambda model: model._meta.label)
def test_every_admin_page_loads_for_a_superuser(client, rf, superuser, data, model):
    client.force_login(superuser)
    model_admin = admin.site._registry[model]
    info = model._meta.app_label, model._meta.model_name

    assert client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
    assert client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "RJ1"}).status_code == 200
    request = rf.get("/admin/")
    request.user = superuser
    if model_admin.has_add_permission(request):
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
    obj = model.objects.first()
    if model._meta.app_label in OWN_APPS:
        assert obj is not None, f"no {model._meta.label} to show"
    if obj is not None:
        assert client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        model
        for model, _ in _admin_models()
        if model._meta.model_name
        in {
            "evidencesubmission",
            "compliancestatus",
            "compliancestatuschange",
            "compliancesnapshot",
            "targetrevision",
            "dsptassessment",
            "dsptassessmentchange",
            "recomputerequest",
        }
    ],
    ids=lambda model: model._meta.label,
)
def test_records_are_read_only_in_the_admin(client, superuser, data, model):
    client.force_login(superuser)
    info = model._meta.app_label, model._meta.model_name
    obj = model.objects.first()
    assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 403
    assert client.get(reverse("admin:{}_{}_delete".format(*info), args=[obj.pk])).status_code == 403
    page = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    assert b'name="_save"' not in page.content


def _target_form(target: Target, **changes) -> dict:
    requirements = list(target.requirements.all())
    form = {
        "code": target.code,
        "title": target.title,
        "description": target.description,
        "start_date": target.start_date.isoformat(),
        "deadline": target.deadline.isoformat(),
        "sectors": target.sectors,
        "display_order": target.display_order,
        "deadline_change_reason": "",
        "requirements-TOTAL_FORMS": len(requirements),
        "requirements-INITIAL_FORMS": len(requirements),
        "requirements-MIN_NUM_FORMS": 0,
        "requirements-MAX_NUM_FORMS": 1000,
        "revisions-TOTAL_FORMS": target.revisions.count(),
        "revisions-INITIAL_FORMS": target.revisions.count(),
        "revisions-MIN_NUM_FORMS": 0,
        "revisions-MAX_NUM_FORMS": 1000,
    }
    for index, requirement in enumerate(requirements):
        form.update(
            {
                f"requirements-{index}-id": requirement.pk,
                f"requirements-{index}-target": target.pk,
                f"requirements-{index}-display_order": requirement.display_order,
                f"requirements-{index}-code": requirement.code,
                f"requirements-{index}-title": requirement.title,
                f"requirements-{index}-description": requirement.description,
                f"requirements-{index}-national_data_rule": requirement.national_data_rule,
            }
        )
    for index, revision in enumerate(target.revisions.all()):
        form[f"revisions-{index}-id"] = revision.pk
        form[f"revisions-{index}-target"] = target.pk
    form.update(changes)
    return form


def test_changing_a_deadline_in_the_admin_needs_a_reason(client, superuser):
    client.force_login(superuser)
    target = Target.objects.get(code="core-2023")
    url = reverse("admin:milestones_target_change", args=[target.pk])

    page = client.post(url, _target_form(target, deadline="2025-03-31"))

    assert page.status_code == 200
    assert "Give a reason for changing the deadline." in page.content.decode()
    target.refresh_from_db()
    assert target.deadline == datetime.date(2023, 12, 31)
    assert not target.revisions.exists()


def test_changing_a_deadline_in_the_admin_keeps_a_revision_and_requests_a_recompute(client, superuser):
    client.force_login(superuser)
    target = Target.objects.get(code="core-2023")
    url = reverse("admin:milestones_target_change", args=[target.pk])

    page = client.post(url, _target_form(target, deadline="2025-03-31", deadline_change_reason="Plan revised"))

    assert page.status_code == 302
    target.refresh_from_db()
    assert target.deadline == datetime.date(2025, 3, 31)
    revision = target.revisions.get()
    assert (revision.old_deadline, revision.new_deadline, revision.reason, revision.revised_by) == (
        datetime.date(2023, 12, 31),
        datetime.date(2025, 3, 31),
        "Plan revised",
        superuser,
    )
    assert RecomputeRequest.objects.filter(target=target, reason__contains="deadline").exists()


def test_adding_a_target_in_the_admin_saves_it_and_requests_its_recompute(client, superuser):
    client.force_login(superuser)
    form = {
        "code": "new-2030",
        "title": "A new target",
        "description": "",
        "start_date": "2026-01-01",
        "deadline": "2030-03-31",
        "sectors": ["acute"],
        "display_order": 9,
        "deadline_change_reason": "",
        "requirements-TOTAL_FORMS": 0,
        "requirements-INITIAL_FORMS": 0,
        "requirements-MIN_NUM_FORMS": 0,
        "requirements-MAX_NUM_FORMS": 1000,
        "revisions-TOTAL_FORMS": 0,
        "revisions-INITIAL_FORMS": 0,
        "revisions-MIN_NUM_FORMS": 0,
        "revisions-MAX_NUM_FORMS": 1000,
    }

    page = client.post(reverse("admin:milestones_target_add"), form)

    assert page.status_code == 302
    target = Target.objects.get(code="new-2030")
    assert target.deadline == datetime.date(2030, 3, 31)
    assert not target.revisions.exists()
    assert RecomputeRequest.objects.filter(target=target).count() == 1


def test_editing_a_requirement_in_the_target_admin_requests_a_recompute(client, superuser):
    client.force_login(superuser)
    target = Target.objects.get(code="core-2023")
    url = reverse("admin:milestones_target_change", args=[target.pk])

    page = client.post(url, _target_form(target, **{"requirements-0-title": "EPR live in every acute setting"}))

    assert page.status_code == 302
    assert Requirement.objects.get(target=target, code="epr-live-acute").title == "EPR live in every acute setting"
    assert RecomputeRequest.objects.filter(target=target, reason__contains="epr-live-acute").exists()
    assert not target.revisions.exists()


def test_trust_admin_links_a_cio_and_a_sector_change_requests_a_recompute(client, superuser):
    client.force_login(superuser)
    trust = TrustFactory(sector=Sector.UNCLASSIFIED)
    cio = UserFactory(username="cio")
    url = reverse("admin:trusts_trust_change", args=[trust.pk])
    form = {
        "ods_code": trust.ods_code,
        "name": trust.name,
        "sector": Sector.COMMUNITY,
        "exemplar_status": trust.exemplar_status,
        "region": trust.region_id,
        "icb": trust.icb_id,
        "postcode": "",
        "opened_on": trust.opened_on.isoformat(),
        "closed_on": "",
        "cio_users": [cio.pk],
    }

    assert client.post(url, form).status_code == 302

    trust = Trust.objects.get(pk=trust.pk)
    assert trust.sector == Sector.COMMUNITY
    assert list(trust.cio_users.all()) == [cio]
    assert RecomputeRequest.objects.filter(trust=trust, reason__contains="sector").exists()


def test_deleting_a_dspt_deadline_in_the_admin_requests_a_recompute(client, superuser):
    from milestones.models import DsptSubmissionDeadline

    deadline = DsptSubmissionDeadline.objects.get(year="2025-26")
    client.force_login(superuser)
    url = reverse("admin:milestones_dsptsubmissiondeadline_delete", args=[deadline.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not DsptSubmissionDeadline.objects.filter(pk=deadline.pk).exists()
    assert RecomputeRequest.objects.get().reason == "DSPT 2025-26 deadline removed"


def test_deleting_dspt_deadlines_with_the_admin_action_requests_a_recompute_for_each(client, superuser):
    from milestones.models import DsptSubmissionDeadline

    years = ["2024-25", "2025-26"]
    client.force_login(superuser)
    response = client.post(
        reverse("admin:milestones_dsptsubmissiondeadline_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": list(
                DsptSubmissionDeadline.objects.filter(year__in=years).values_list("pk", flat=True)
            ),
        },
    )

    assert response.status_code == 302
    assert not DsptSubmissionDeadline.objects.filter(year__in=years).exists()
    assert sorted(RecomputeRequest.objects.values_list("reason", flat=True)) == [
        "DSPT 2024-25 deadline removed",
        "DSPT 2025-26 deadline removed",
    ]
