"""Admin pages of targets and requirements (milestones/admin/targets.py): edits go through the
services that keep their history and request recomputes."""

import datetime

import pytest
from django.urls import reverse

from milestones.models import RecomputeRequest, Requirement, Target
from tests.factories import RequirementFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("extra_targets", [1, 30])
def test_target_list_counts_requirements_in_the_same_query_at_any_size(
    client, superuser, django_assert_max_num_queries, extra_targets
):
    client.force_login(superuser)
    for target in TargetFactory.create_batch(extra_targets):
        RequirementFactory.create_batch(3, target=target)

    # Session, user, two counts and the list: 5 at any size (one more a row before the annotation).
    with django_assert_max_num_queries(5):
        page = client.get(reverse("admin:milestones_target_changelist"), {"all": ""})

    rows = page.context["cl"].result_list
    assert len(rows) == Target.objects.count()
    assert [row.requirement_count for row in rows] == [row.requirements.count() for row in rows]
    assert sum(row.requirement_count == 3 for row in rows if row.code.startswith("test-")) == extra_targets


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


def test_changing_a_deadline_in_the_admin_needs_a_reason(refused_deadline_move):
    target = Target.objects.get(code="core-2023")

    refused_deadline_move(
        reverse("admin:milestones_target_change", args=[target.pk]), _target_form(target, deadline="2025-03-31")
    )

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
