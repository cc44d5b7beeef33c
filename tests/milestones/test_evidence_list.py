"""A trust's evidence history: newest first, 25 a page, in a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import EvidenceSubmissionFactory
from tests.milestones.breadcrumbs import breadcrumbs


def history(people, count: int) -> None:
    start = timezone.now() - datetime.timedelta(days=count)
    for number in range(count):
        EvidenceSubmissionFactory(
            trust=people.trust_a,
            requirement=people.requirement,
            submitted_by=people.cio_a,
            submitted_at=start + datetime.timedelta(days=number),
            original_name=f"evidence-{number:03d}.pdf",
        )


def file_links(page: str) -> list[str]:
    return re.findall(r'/evidence/\d+/">(evidence-\d{3}\.pdf)</a>', page)


def test_long_history_is_shown_25_a_page_newest_first(client, people):
    history(people, 30)
    client.force_login(people.cio_a)
    url = reverse("milestones:evidence_list", args=[people.trust_a.ods_code])

    first = client.get(url).content.decode()
    assert file_links(first) == [f"evidence-{number:03d}.pdf" for number in range(29, 4, -1)]
    assert "30 files. Showing 1 to 25." in first
    assert 'href="?page=2"' in first
    # The upload links stay on every page.
    assert f"?requirement={people.requirement.pk}" in first

    second = client.get(url, {"page": "2"}).content.decode()
    assert file_links(second) == [f"evidence-{number:03d}.pdf" for number in range(4, -1, -1)]


def test_short_history_has_no_pagination(client, people):
    history(people, 3)
    client.force_login(people.cio_a)

    page = client.get(reverse("milestones:evidence_list", args=[people.trust_a.ods_code])).content.decode()

    assert len(file_links(page)) == 3
    assert "nhsuk-pagination" not in page


@pytest.mark.parametrize("count", [3, 60])
def test_history_reads_a_fixed_number_of_queries_however_long(client, people, count, django_assert_max_num_queries):
    history(people, count)
    client.force_login(people.cio_a)
    url = reverse("milestones:evidence_list", args=[people.trust_a.ods_code])
    client.get(url)

    with django_assert_max_num_queries(9):
        response = client.get(url, {"page": "2"})
    assert response.status_code == 200


def test_breadcrumb_names_the_home_page_each_role_sees(client, people):
    url = reverse("milestones:evidence_list", args=[people.trust_a.ods_code])

    client.force_login(people.cio_a)
    assert breadcrumbs(client.get(url).content.decode())[0] == ("/", "Your trusts")
    client.force_login(people.staff)
    assert breadcrumbs(client.get(url).content.decode())[0] == ("/", "National overview")
