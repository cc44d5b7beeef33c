"""Admin pages of targets and requirements."""

import pytest
from django.urls import reverse

from milestones.models import Target
from tests.factories import RequirementFactory, TargetFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("extra_targets", [1, 30])
def test_target_list_counts_requirements_in_the_same_query_at_any_size(
    client, django_assert_max_num_queries, extra_targets
):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    for target in TargetFactory.create_batch(extra_targets):
        RequirementFactory.create_batch(3, target=target)

    # Session, user, two counts and the list: 5 at any size (one more a row before the annotation).
    with django_assert_max_num_queries(5):
        page = client.get(reverse("admin:milestones_target_changelist"), {"all": ""})

    rows = page.context["cl"].result_list
    assert len(rows) == Target.objects.count()
    assert [row.requirement_count for row in rows] == [row.requirements.count() for row in rows]
    assert sum(row.requirement_count == 3 for row in rows if row.code.startswith("test-")) == extra_targets
