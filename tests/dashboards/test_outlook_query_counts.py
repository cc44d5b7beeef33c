"""The forecast, stage and contradiction pages and the trust page's outlook make as many queries at
300 trusts as at 10, rendered afresh."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.dashboards.dashboard_data import many_trusts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/forecasts/",
    "/regions/Y56/forecasts/",
    "/stages/",
    "/regions/Y56/stages/",
    "/contradictions/",
    "/regions/Y56/contradictions/",
    "/exports/contradictions/contradictions.csv",
    "/trusts/{code}/",
]


def _cold_count(client, path: str) -> int:
    session = client.session
    cache.clear()
    session.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", PAGES)
def test_outlook_pages_make_the_same_number_of_queries_at_10_and_300_trusts(client, path):
    trusts = many_trusts(10)
    client.force_login(UserFactory(roles=["Programme staff"]))
    client.get("/healthz")
    url = path.format(code=next(trust for trust in trusts if trust.region.code == "Y56").ods_code)
    at_10 = _cold_count(client, url)
    many_trusts(290)
    assert _cold_count(client, url) == at_10
