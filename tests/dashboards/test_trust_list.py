"""The trust list: every count on the dashboards links to it, and it holds exactly the trusts counted."""

import csv
import datetime
import io
import re
from html import unescape

import pytest

from milestones.models import STATUS_ORDER, ComplianceStatus, Status
from milestones.services.compliance import statuses_compute
from tests.dashboards.dashboard_data import cio_user, known_dataset
from tests.dashboards.responses import status_codes
from tests.factories import UserFactory
from trusts.models import Trust

pytestmark = pytest.mark.django_db


def listed_codes(client, url: str) -> list[str]:
    """The ODS codes in the trust list's table, in order."""
    page = client.get(url).content.decode()
    table = page[page.index("<tbody") : page.index("</tbody>")] if "<tbody" in page else ""
    return re.findall(r'href="/trusts/([A-Z0-9]+)/"', table)


def count_links(page: str) -> list[tuple[str, int]]:
    """(trust list URL, count) of every count that links to the trust list."""
    return [
        (unescape(href), int(count))
        for href, count in re.findall(r'href="(/trusts/\?[^"]*)">\s*(\d+)(?:<span|\s*</a>)', page)
    ]


def test_every_count_on_the_national_page_links_to_exactly_the_trusts_it_counts(staff_client):
    known_dataset()
    links = count_links(staff_client.get("/").content.decode())
    # Cards, the overdue-by-region table, the targets' table and the tables under the charts.
    assert len(links) > 50
    for href, count in links:
        assert len(listed_codes(staff_client, href)) == count, href


def test_every_count_on_a_region_page_links_to_exactly_the_trusts_it_counts(staff_client):
    known_dataset()
    links = count_links(staff_client.get("/regions/Y56/?sector=acute").content.decode())
    assert any("icb=XA1" in href for href, _ in links)  # the ICB table's counts keep their ICB
    for href, count in links:
        assert "region=Y56" in href and "sector=acute" in href
        assert len(listed_codes(staff_client, href)) == count, href


def test_officer_question_has_a_link_on_the_national_page(staff_client):
    data = known_dataset()
    ComplianceStatus.objects.filter(trust=data.t1, target=data.full).update(status=Status.OVERDUE)
    page = staff_client.get("/").content.decode()
    href = "/trusts/?region=Y56&amp;target=full-2024&amp;status=overdue"
    regions = page[page.index('id="regions"') : page.index("</table>", page.index('id="regions"'))]
    assert f'href="{href}"' in regions
    assert listed_codes(staff_client, unescape(href)) == ["T01"]


def test_list_takes_every_status_there_is(staff_client):
    known_dataset()
    for status in STATUS_ORDER:
        response = staff_client.get(f"/trusts/?status={status}")
        assert "Some filters were not applied" not in response.content.decode()
        rows = ComplianceStatus.objects.filter(status=status).count()
        assert f"{rows} {'row' if rows == 1 else 'rows'}," in response.content.decode()


def test_list_sorts_and_downloads_the_same_rows(staff_client):
    known_dataset()
    assert listed_codes(staff_client, "/trusts/?target=core-2023") == ["T01", "T02", "T03", "T04"]
    assert listed_codes(staff_client, "/trusts/?target=core-2023&sort=-trust") == ["T04", "T03", "T02", "T01"]
    # Best status first: met, at risk, overdue, not applicable.
    assert listed_codes(staff_client, "/trusts/?target=core-2023&sort=status") == ["T01", "T03", "T02", "T04"]
    page = staff_client.get("/trusts/?target=core-2023&sort=status").content.decode()
    assert 'aria-sort="ascending"' in page and "/exports/trust-list.csv?target=core-2023&amp;sort=status" in page
    response = staff_client.get("/exports/trust-list.csv?target=core-2023&sort=status")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["Trust", "ODS code"]
    assert [row[1] for row in rows[1:]] == ["T01", "T03", "T02", "T04"]
    assert rows[3][6:8] == ["Overdue", "overdue because of the test"]


def test_list_as_of_a_day_uses_the_statuses_the_dashboards_use_that_day(staff_client):
    data = known_dataset()
    # 15 February 2024: what the rules give that day (T02 is overdue only in the hand-made current
    # statuses), for every status the page can be asked for.
    that_day = statuses_compute(trusts=Trust.objects.all(), targets=[data.core], as_of=datetime.date(2024, 2, 15))
    for status in STATUS_ORDER:
        expected = sorted(item.trust.ods_code for item in that_day if item.result.status == status)
        url = f"/trusts/?as_of=2024-02-15&target=core-2023&status={status}"
        assert sorted(listed_codes(staff_client, url)) == expected, status
    page = staff_client.get("/trusts/?as_of-day=29&as_of-month=2&as_of-year=2024&target=core-2023")
    assert "statuses on 29 February 2024, of the trusts open that day" in page.content.decode()
    assert sorted(listed_codes(staff_client, page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"])) == [
        "T01",
        "T02",
        "T03",
        "T04",
    ]


def test_list_reports_a_bad_filter_and_applies_the_others(staff_client):
    known_dataset()
    page = staff_client.get("/trusts/?status=nonsense&region=Y58").content.decode()
    assert "Some filters were not applied" in page
    assert listed_codes(staff_client, "/trusts/?status=nonsense&region=Y58") == ["T04", "T04"]


def test_active_filters_are_tags_that_remove_themselves(staff_client):
    known_dataset()
    page = staff_client.get("/trusts/?region=Y56&status=overdue").content.decode()
    assert '<a class="digitrack-tag-link" href="/trusts/?status=overdue">' in page
    assert "Region: London" in page and "Status: Overdue" in page


def test_a_trust_cio_cannot_see_the_list(t1_cio_client):
    assert status_codes(t1_cio_client, "/trusts/", "/exports/trust-list.csv") == [403, 403]


def test_cards_say_the_deadline_in_force_and_how_it_slipped(staff_client):
    known_dataset()
    page = staff_client.get("/").content.decode()
    full = page[page.index('data-deadline="full-2024"') :][:400]
    assert "Deadline: 31 March 2026" in full and "first set for 2018; moved 5 times" in full
    assert 'href="/#revisions-heading"' in full
    # On 1 January 2023 the deadline in force was March 2025, moved four times by then.
    page = staff_client.get("/?as_of=2023-01-01").content.decode()
    full = page[page.index('data-deadline="full-2024"') :][:400]
    assert "Deadline on 1 January 2023: 31 March 2025" in full and "moved 4 times" in full


def test_trust_page_says_the_deadline_and_its_slippage_linking_staff_to_the_history(client):
    data = known_dataset()
    client.force_login(UserFactory(roles=["Programme staff"]))
    page = client.get(f"/trusts/{data.t1.ods_code}/").content.decode()
    full = page[page.index('data-deadline="full-2024"') :][:400]
    assert "Deadline 31 March 2026" in full and 'href="/#revisions-heading">first set for 2018; moved 5 times' in full
    client.force_login(cio_user(data.t1))  # a CIO's "/" is their to-do, not the national history
    page = client.get(f"/trusts/{data.t1.ods_code}/").content.decode()
    full = page[page.index('data-deadline="full-2024"') :][:400]
    assert "(first set for 2018; moved 5 times)" in full and "#revisions-heading" not in full


def test_list_says_when_demo_evidence_counts_in_it(staff_client):
    from django.utils import timezone

    from milestones.models.evidence import DEMO_SUMMARY_PREFIX
    from tests.factories import EvidenceSubmissionFactory

    data = known_dataset()
    assert "Includes demo data" not in staff_client.get("/trusts/").content.decode()
    EvidenceSubmissionFactory(
        trust=data.t1,
        requirement=data.core.requirements.filter(national_data_rule="").first(),
        state="approved",
        reviewed_at=timezone.now(),
        summary=f"{DEMO_SUMMARY_PREFIX}Generated for trying DigiTrack.",
    )
    assert "Includes demo data" in staff_client.get("/trusts/?region=Y56").content.decode()
    rows = list(csv.reader(io.StringIO(staff_client.get("/exports/trust-list.csv?region=Y56").content.decode())))
    assert rows[-1][0].startswith("Includes demo data")
    assert "Includes demo data" not in staff_client.get("/trusts/?region=Y58").content.decode()
