"""Admin pages of the national data and DSPT deadlines (milestones/admin/national.py)."""

import pytest
from django.urls import reverse

from milestones.models import DsptSubmissionDeadline, RecomputeRequest

pytestmark = pytest.mark.django_db


def test_deleting_a_dspt_deadline_in_the_admin_requests_a_recompute(client, superuser):
    deadline = DsptSubmissionDeadline.objects.get(year="2025-26")
    client.force_login(superuser)
    url = reverse("admin:milestones_dsptsubmissiondeadline_delete", args=[deadline.pk])

    assert client.post(url, {"post": "yes"}).status_code == 302

    assert not DsptSubmissionDeadline.objects.filter(pk=deadline.pk).exists()
    assert RecomputeRequest.objects.get().reason == "DSPT 2025-26 deadline removed"


def test_deleting_dspt_deadlines_with_the_admin_action_requests_a_recompute_for_each(client, superuser):
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
