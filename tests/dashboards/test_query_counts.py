"""Query counts of every dashboard page and the API: the same at 10 trusts as at 300, rendered
afresh (cache empty) and from the page cache; a signed-in trivial view reads one row at most."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dashboards.dashboard_data import cio_user, many_trusts
from tests.dashboards.responses import CACHED_PAGE_QUERIES
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/?sector=acute&exemplar=gde",
    "/?as_of=2024-01-31",
    "/regions/Y56/",
    "/trusts/{code}/",
    "/trusts/?region=Y56",
    "/api/statuses.json",
    "/api/statuses.json?region=Y56&page=2&page_size=5",
]


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def _signed_in(client, user):
    client.force_login(user)
    client.get("/healthz")  # the first request after signing in saves the session clocks


def _counts(client, path: str) -> tuple[int, int]:
    """Queries with the cache empty (the session put back), then served from the cache."""
    session = client.session
    cache.clear()
    session.save()
    return _count(client, path), _count(client, path)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_makes_the_same_number_of_queries_at_10_and_300_trusts(client, path):
    trusts = many_trusts(10)
    _signed_in(client, UserFactory(roles=["Programme staff"]))
    url = path.format(code=next(trust for trust in trusts if trust.region.code == "Y56").ods_code)
    cold_at_10, warm_at_10 = _counts(client, url)
    many_trusts(290)
    cold_at_300, warm_at_300 = _counts(client, url)

    assert cold_at_300 == cold_at_10
    assert warm_at_10 == warm_at_300 == CACHED_PAGE_QUERIES


@pytest.mark.parametrize("path", ["/trusts/{code}/", "/api/statuses.json"])
def test_a_cio_page_makes_the_same_number_of_queries_at_10_and_300_trusts(client, path):
    trusts = many_trusts(10)
    _signed_in(client, cio_user(*trusts[:2]))
    url = path.format(code=trusts[0].ods_code)
    cold_at_10, warm_at_10 = _counts(client, url)
    many_trusts(290)
    cold_at_300, warm_at_300 = _counts(client, url)

    assert cold_at_300 == cold_at_10
    # The hit also reads which trusts the CIO holds: a CIO unlinked from one stops seeing it.
    assert warm_at_10 == warm_at_300 == CACHED_PAGE_QUERIES + 1


def test_a_cio_home_makes_the_same_number_of_queries_at_10_and_300_trusts(client):
    trusts = many_trusts(10)
    _signed_in(client, cio_user(*trusts[:2]))
    at_10 = _count(client, "/")
    many_trusts(290)
    assert _count(client, "/") == at_10


def test_signed_in_healthz_reads_one_row_at_most(client):
    _signed_in(client, UserFactory(roles=["Programme staff"]))
    assert _count(client, "/healthz") <= 1


def test_sessions_fall_back_to_the_database_when_the_cache_loses_them(client):
    client.force_login(UserFactory(roles=["Programme staff"]))
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/healthz").status_code == 200
    assert any("django_session" in query["sql"] for query in queries.captured_queries)
    assert client.get("/").status_code == 200  # still signed in
