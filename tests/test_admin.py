"""The admin site as a whole: every registered page loads for a superuser with data present, and
records are read-only. Each admin module's own pages are tested beside it (tests/milestones/test_admin_*.py,
tests/trusts/test_admin.py)."""

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
    Source,
    SourceRow,
    SourceSnapshot,
    Status,
    Target,
)
from tests.factories import ComplianceStatusFactory, EvidenceSubmissionFactory, TrustFactory, UserFactory

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
