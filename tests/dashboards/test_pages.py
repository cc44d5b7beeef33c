"""The dashboard pages: who reaches them, what they show, filters, and a fixed number of queries."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.dashboards.dashboard_data import closed_trust, known_dataset, many_trusts
from tests.dashboards.responses import core_headline, page_html, queries_to_render, script_json, status_codes

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_sign_in(client):
    for path in ("/", "/regions/Y56/", "/trusts/T01/", "/exports/national/headlines.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_national_page_shows_headlines_regions_and_charts(staff_client):
    known_dataset()
    page = page_html(staff_client, "/")
    assert "National overview" in page
    assert "33.3%" in page  # core-2023: 1 of 3 applicable trusts met
    # Each card lists every status as a tag with its count, linking to the trusts it counts.
    assert '<span class="nhsuk-u-visually-hidden"> trusts overdue on core level of digitisation' in page
    assert 'href="/regions/Y56/"' in page
    # Status by region for the 2 targets with statuses, the trend and the revisions; the others say so.
    assert page.count("data-figure=") == 4
    assert "No trust has a status for mandated cyber security standards met yet." in page
    assert page.count("js/plotly-cartesian.min.js") == 1
    assert "Statuses last computed just now" in page


def test_national_page_figures_are_valid_plotly_json(staff_client):
    import plotly.graph_objects as go

    known_dataset()
    response = staff_client.get("/")
    for chart_id in ("regions-core-2023", "trend", "revisions"):
        figure = json.loads(script_json(response.content.decode(), f"{chart_id}-data"))
        go.Figure(figure)  # raises on anything plotly.js would not understand


def test_national_filters_change_the_numbers_and_stay_in_links(staff_client):
    known_dataset()
    page = staff_client.get("/?sector=mental_health").content.decode()
    assert 'data-target="core-2023"' in page
    assert "0.0%" in page and "of 1 applicable trusts" in page
    assert "/exports/national/headlines.csv?sector=mental_health" in page
    assert 'href="/regions/Y56/?sector=mental_health"' in page


def test_invalid_filter_is_reported_and_the_others_still_apply(staff_client):
    known_dataset()
    page = staff_client.get("/?sector=mental_health&as_of=31-01-2024").content.decode()
    assert "Some filters were not applied" in page
    assert "31-01-2024 is not a date: enter a real date" in page
    assert "of 1 applicable trusts" in page


def test_future_as_of_date_is_refused(staff_client):
    page = staff_client.get("/?as_of=2999-01-01").content.decode()
    assert "must be today or in the past" in page


def test_cio_sees_the_list_of_their_trusts_at_home(t1_cio_client):
    page = t1_cio_client.get("/").content.decode()
    assert "Your trusts" in page
    assert 'href="/trusts/T01/"' in page
    assert "T02" not in page


def test_cio_cannot_reach_national_regional_pages_or_another_trust(t1_cio_client):
    paths = ("/regions/Y56/", "/exports/national/headlines.csv", "/trusts/T02/", "/trusts/T01/")
    assert status_codes(t1_cio_client, *paths) == [403, 403, 404, 200]


def test_region_page_lists_attention_with_links_and_heatmap(staff_client):
    known_dataset()
    page = page_html(staff_client, "/regions/y56/")
    assert "<h1>" in page and "London" in page
    assert 'href="/trusts/T02/"' in page and "Overdue" in page
    heatmap = json.loads(script_json(page, "heatmap-data"))
    cells = heatmap["data"][0]["text"]
    assert len(cells) == 3 and "Overdue" in cells[1]
    assert "T04" not in page  # South West


def test_region_page_unknown_region_is_404(staff_client):
    assert staff_client.get("/regions/Y99/").status_code == 404


def test_region_icb_filter_must_be_an_icb_of_that_region(staff_client):
    known_dataset()
    page = staff_client.get("/regions/Y56/?icb=XC1").content.decode()
    assert "Some filters were not applied" in page


def test_trust_page_shows_status_requirements_and_last_computed(staff_client):
    known_dataset()
    page = staff_client.get("/trusts/t02/").content.decode()
    assert "Alpha Mind NHS Trust" in page
    assert "Overdue" in page and "Missing" in page
    assert "Status last computed" in page and "just now" in page
    assert "Deadline passed with 2 requirements unmet" in page
    assert 'data-figure="timeline-data"' in page


@pytest.mark.parametrize("path", ["/", "/?sector=acute&as_of=2024-01-31", "/regions/Y56/", "/trusts/{code}/"])
def test_each_page_makes_the_same_number_of_queries_at_10_and_200_trusts(staff_client, path):
    trusts = many_trusts(10)
    london = next(trust for trust in trusts if trust.region.code == "Y56")
    url = path.format(code=london.ods_code)
    at_10 = queries_to_render(staff_client, url)
    many_trusts(190)
    assert queries_to_render(staff_client, url) == at_10


def _trust_record(trust, submissions: int, months: int) -> None:
    """`submissions` evidence files over the core target's requirements, in every review state, and
    `months` month-end snapshots and status changes against each target."""
    import datetime
    import itertools

    from milestones.models import ComplianceSnapshot, ComplianceStatusChange, ReviewState, Target
    from tests.factories import EvidenceSubmissionFactory, UserFactory

    uploader = UserFactory()
    requirements = itertools.cycle(Target.objects.get(code="core-2023").requirements.all())
    states = itertools.cycle([ReviewState.SUBMITTED, ReviewState.APPROVED, ReviewState.REJECTED])
    for _ in range(submissions):
        state = next(states)
        EvidenceSubmissionFactory(
            trust=trust,
            requirement=next(requirements),
            submitted_by=uploader,
            state=state,
            reviewed_at=None if state == ReviewState.SUBMITTED else timezone.now(),
        )
    days = [datetime.date(2020 + month // 12, month % 12 + 1, 28) for month in range(months)]
    for target in Target.objects.all():
        ComplianceSnapshot.objects.bulk_create(
            ComplianceSnapshot(trust=trust, target=target, as_of=day, status="on_track") for day in days
        )
        ComplianceStatusChange.objects.bulk_create(
            ComplianceStatusChange(
                trust=trust, target=target, new_status="on_track", reason="Test data", changed_at=timezone.now()
            )
            for _ in days
        )


def test_trust_page_makes_the_same_number_of_queries_with_1_or_50_submissions_and_snapshots(staff_client):
    one, fifty = many_trusts(2)
    _trust_record(one, submissions=1, months=1)
    _trust_record(fifty, submissions=50, months=50)
    assert queries_to_render(staff_client, f"/trusts/{one.ods_code}/") == queries_to_render(
        staff_client, f"/trusts/{fifty.ods_code}/"
    )


def test_cached_national_page_needs_fewer_queries(staff_client):
    many_trusts(20)
    uncached = queries_to_render(staff_client, "/")
    with CaptureQueriesContext(connection) as queries:
        staff_client.get("/")
    assert len(queries) < uncached - 4


def test_no_figure_json_on_the_national_page_exceeds_200_kb(staff_client):
    many_trusts(200)
    page = staff_client.get("/").content.decode()
    ids = [part.split('"')[0] for part in page.split('data-figure="')[1:]]
    assert len(ids) == 6
    for element_id in ids:
        assert len(script_json(page, element_id).encode()) < 200 * 1024


def test_rendered_pages_follow_the_cache_generation(staff_client):
    from milestones.generation import dashboard_generation_bump

    data = known_dataset()
    assert "33.3%" in core_headline(staff_client)
    data.t3.compliance_statuses.filter(target=data.core).update(status="met")
    assert "33.3%" in core_headline(staff_client)  # served from the cache
    dashboard_generation_bump()
    assert "66.7%" in core_headline(staff_client)


def test_last_computed_moves_with_a_run_that_changes_nothing_while_the_page_is_cached(staff_client):
    import datetime

    from milestones.generation import dashboard_generation_bump
    from milestones.models import ComplianceStatus
    from milestones.services.compliance import statuses_recompute_all

    known_dataset()
    statuses_recompute_all(as_of=timezone.localdate())
    ComplianceStatus.objects.update(computed_at=timezone.now() - datetime.timedelta(days=3))
    dashboard_generation_bump()
    assert "Statuses last computed 3 days ago" in staff_client.get("/").content.decode()
    assert "Statuses last computed 3 days ago" in staff_client.get("/regions/Y56/").content.decode()
    # The nightly run confirms every status: no status changes, only computed_at moves.
    statuses_recompute_all(as_of=timezone.localdate())
    assert "Statuses last computed just now" in staff_client.get("/").content.decode()
    assert "Statuses last computed just now" in staff_client.get("/regions/Y56/").content.decode()


def test_a_status_change_during_a_redis_outage_shows_once_redis_is_back(staff_client, redis_outage):
    from milestones.services.compliance import statuses_recompute
    from tests.factories import EvidenceSubmissionFactory

    data = known_dataset()
    assert "33.3%" in core_headline(staff_client)  # cached in Redis
    redis_outage.start()
    # T03 (at risk) gets every core requirement approved, and the engine recomputes it (its
    # national-data requirements set aside: this is about the cache, not the rules).
    data.core.requirements.exclude(national_data_rule="").update(optional=True)
    for requirement in data.core.requirements.all():
        EvidenceSubmissionFactory(trust=data.t3, requirement=requirement, state="approved", reviewed_at=timezone.now())
    statuses_recompute(trusts=[data.t3], targets=[data.core], as_of=timezone.localdate())
    assert "66.7%" in core_headline(staff_client)  # read from PostgreSQL
    redis_outage.end()
    assert "66.7%" in core_headline(staff_client)  # the page cached before the outage is stale


def test_national_and_region_pages_render_with_redis_down(staff_client, redis_down):
    known_dataset()
    national = staff_client.get("/")
    assert national.status_code == 200 and "33.3%" in national.content.decode()
    region = staff_client.get("/regions/Y56/")
    assert region.status_code == 200 and 'href="/trusts/T02/"' in region.content.decode()


def test_national_page_charts_published_dspt_statuses_by_region(staff_client):
    import datetime

    from django.utils import timezone

    from milestones.models import DsptAssessment

    data = known_dataset()
    for trust, status in ((data.t1, "met"), (data.t2, "approaching"), (data.t4, "exceeded")):
        DsptAssessment.objects.create(
            trust=trust,
            year="2020-21",
            status=status,
            published_on=datetime.date(2021, 6, 1),
            source_file="dspt_2020-21.csv",
            source_sha256="0" * 64,
            imported_at=timezone.now(),
        )
    page = staff_client.get("/").content.decode()
    figure = json.loads(script_json(page, "dspt-data"))
    assert {trace["name"]: sum(trace["x"]) for trace in figure["data"]}["Standards Met"] == 1
    assert "50% of open trusts had Standards Met or Exceeded at the 30 June 2021 deadline" in page
    assert ["2020-21", "London", "0", "1", "1", "0", "0"] in [
        line.split(",") for line in staff_client.get("/exports/national/dspt.csv").content.decode().splitlines()
    ]


def test_closed_trust_is_left_out_of_todays_pages_but_counted_as_of_when_it_was_open(staff_client):
    data = known_dataset()
    closed_trust(data)
    headlines = staff_client.get("/exports/national/headlines.csv").content.decode().splitlines()
    core = next(line for line in headlines if line.startswith("Core level of digitisation"))
    assert ",1,3," in core  # not applicable: T04 only (community); applicable 3
    region = staff_client.get("/regions/Y56/").content.decode()
    assert "TZZ" not in region and "Omega Acute" not in region
    january = staff_client.get("/regions/Y56/?as_of=2024-01-31").content.decode()
    assert 'href="/trusts/TZZ/"' in january


def test_closed_trust_page_says_when_it_closed_and_links_its_successor(staff_client):
    data = known_dataset()
    closed_trust(data)
    page = staff_client.get("/trusts/TZZ/").content.decode()
    notice = page[page.index('id="closed"') :]
    assert "This trust closed on 15 February 2024." in notice
    assert 'href="/trusts/T01/">Alpha Acute NHS Trust</a> (T01)' in notice
    successor = staff_client.get("/trusts/T01/").content.decode()
    assert 'href="/trusts/TZZ/">Omega Acute NHS Trust</a> (TZZ), closed 15 February 2024' in successor
    assert 'id="closed"' not in successor


def test_region_page_lists_each_trust_needing_attention_once_with_target_tags(staff_client):
    from milestones.models import ComplianceStatus

    data = known_dataset()
    ComplianceStatus.objects.filter(trust=data.t2, target=data.full).update(status="overdue")
    page = staff_client.get("/regions/Y56/").content.decode()
    table = page[page.index('id="attention-table"') : page.index("</table>", page.index('id="attention-table"'))]
    assert table.count('href="/trusts/T02/"') == 1 and table.count('href="/trusts/T03/"') == 1
    assert table.index("T02") < table.index("T03")  # two targets overdue before one at risk
    # Targets by their names, which carry no year that has moved (full digitisation's "2024").
    assert "Core level of digitisation" in table and "Fully digitised" in table and "2024" not in table
    # Each target's reason, folded under the row's tags.
    t02 = table[table.index('href="/trusts/T02/"') : table.index('href="/trusts/T03/"')]
    assert t02.count("<details") == 1
    assert "Core level of digitisation, overdue:</strong> overdue because of the test" in t02
    assert "Fully digitised, overdue:</strong> on_track because of the test" in t02
    assert "at_risk because of the test" in table[table.index('href="/trusts/T03/"') :]


def _as_of_inputs(page: str) -> list[str]:
    """The values of the as of date input's day, month and year."""
    inputs = [re.search(rf'name="as_of-{part}"[^>]*>', page).group(0) for part in ("day", "month", "year")]
    return [value.group(1) if (value := re.search(r'value="([^"]*)"', tag)) else "" for tag in inputs]


def test_the_cached_filter_form_shows_what_each_query_asked_for(staff_client):
    known_dataset()
    assert _as_of_inputs(staff_client.get("/?as_of=2024-01-31").content.decode()) == ["31", "1", "2024"]

    page = staff_client.get("/?sector=mental_health").content.decode()
    assert re.search(r'<option value="mental_health" selected\s*>', page)
    assert _as_of_inputs(page) == ["", "", ""]
    # The date input's own fields give the same day, and the page the same filters.
    page = staff_client.get("/regions/Y56/?as_of-day=31&as_of-month=1&as_of-year=2024").content.decode()
    assert 'action="/regions/Y56/"' in page and _as_of_inputs(page) == ["31", "1", "2024"]
    assert "As of 31 January 2024" in page


def test_the_filter_form_with_errors_is_never_served_from_the_cache(staff_client):
    known_dataset()
    for _ in range(2):
        page = staff_client.get("/?as_of-day=31&as_of-month=2&as_of-year=2024").content.decode()
        assert "Enter a real date, such as 31 3 2026" in page and _as_of_inputs(page) == ["31", "2", "2024"]
        assert "<title>Error: National overview" in page


def test_a_split_trust_page_names_every_successor(staff_client):
    data = known_dataset()
    closed_trust(data).successors.add(data.t2)
    notice = staff_client.get("/trusts/TZZ/").content.decode().split('id="closed"')[1]
    assert re.search(r"It was split between\s*<a[^>]*>Alpha Acute NHS Trust</a> \(T01\) and <a", notice)
    assert "(T02)." in notice
