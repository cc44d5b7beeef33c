"""Whole pages from the cache: shared by users with the same permissions and trusts, each still
seeing their own name, CSRF token, CSP nonce and "N minutes ago"; never across a change of scope
or data; a missing page rendered by one request while the others asking for it wait."""

import datetime
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards import cache as dashboards_cache
from dashboards.cache import DashboardCache, page_rendered_once
from milestones.models import ComplianceStatus
from tests.dashboards.dashboard_data import known_dataset
from tests.dashboards.test_query_counts import CACHED_PAGE_QUERIES
from tests.factories import MINIMAL_PDF, UserFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page).group(1)


def test_two_staff_share_a_cached_page_and_each_sees_their_own_name_and_token():
    known_dataset()
    ada = _client(UserFactory(first_name="Ada", last_name="Lovelace", roles=["Programme staff"]))
    bob_user = UserFactory(first_name="Bob", last_name="O'Brien", roles=["Programme staff"])
    bob = _client(bob_user)

    first = ada.get("/regions/Y56/").content.decode()
    second = bob.get("/regions/Y56/").content.decode()

    assert "Ada Lovelace" in first and "Ada Lovelace" not in second
    assert "Bob O&#39;Brien" in second
    assert "__digitrack_slot" not in first + second
    # Bob's sign-out form carries a token his session accepts.
    response = bob.post("/accounts/logout/", {"csrfmiddlewaretoken": _csrf_token(second)})
    assert response.status_code == 302
    assert "_auth_user_id" not in bob.session


def test_a_cached_page_carries_the_nonce_of_its_own_content_security_policy():
    known_dataset()
    staff = UserFactory(roles=["Programme staff"])
    _client(UserFactory(roles=["Programme staff"])).get("/")
    response = _client(staff).get("/")

    policy = response.headers.get("Content-Security-Policy", "")
    nonces = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    if not policy:
        pytest.skip("no Content-Security-Policy middleware in this build")
    assert nonces and all(f"'nonce-{nonce}'" in policy for nonce in nonces)


def test_a_cio_unlinked_from_a_trust_stops_seeing_its_cached_page():
    data = known_dataset()
    cio = UserFactory(roles=["Trust CIO"], cio_of=[data.t2])
    client = _client(cio)
    assert client.get(f"/trusts/{data.t2.ods_code}/").status_code == 200
    data.t2.cio_users.remove(cio)
    assert client.get(f"/trusts/{data.t2.ods_code}/").status_code == 404


def test_an_upload_shows_on_the_cached_trust_page_at_once():
    from milestones.services.evidence import evidence_submit

    data = known_dataset()
    staff = _client(UserFactory(roles=["Programme staff"]))
    path = f"/trusts/{data.t2.ods_code}/"
    assert "bench-upload.pdf" not in staff.get(path).content.decode()
    requirement = data.core.requirements.filter(national_data_rule="").first()
    evidence_submit(
        trust=data.t2,
        requirement=requirement,
        upload=SimpleUploadedFile("bench-upload.pdf", MINIMAL_PDF, content_type="application/pdf"),
        summary="Board paper",
        valid_until=None,
        submitted_by=UserFactory(),
    )
    assert "bench-upload.pdf" in staff.get(path).content.decode()


def test_a_page_with_a_message_to_show_is_rendered_afresh_and_shows_it():
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    known_dataset()
    user = UserFactory(roles=["Programme staff"])
    client = _client(user)
    client.get("/")  # cached without the message
    # A message as a redirect leaves it, in the messages cookie.
    request, response = HttpRequest(), HttpResponse()
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Evidence approved")
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value

    assert "Evidence approved" in client.get("/").content.decode()
    assert "Evidence approved" not in client.get("/").content.decode()


@pytest.mark.parametrize("path", ["/", "/regions/Y56/", "/trusts/T02/"])
def test_a_page_cached_at_ten_says_five_minutes_ago_at_five_past_without_being_rendered_again(path):
    known_dataset()
    ten = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    ComplianceStatus.objects.update(computed_at=ten)
    client = _client(UserFactory(roles=["Programme staff"]))
    with mock.patch("django.utils.timezone.now", return_value=ten):
        assert "computed just now" in client.get(path).content.decode().replace("\n", " ").lower()
    with (
        mock.patch("django.utils.timezone.now", return_value=ten + datetime.timedelta(minutes=5)),
        CaptureQueriesContext(connection) as queries,
    ):
        page = client.get(path).content.decode().replace("\n", " ").lower()

    assert "computed 5 minutes ago" in page
    assert "__digitrack_slot" not in page
    assert len(queries) == CACHED_PAGE_QUERIES  # from the cache: nothing read but the user and the generation


def _page(text: str) -> tuple[str, str]:
    return ("text/html; charset=utf-8", text)


def _renderer(cache: DashboardCache, renders: list, seconds: float = 0.0):
    def render():
        renders.append(1)
        time.sleep(seconds)
        cache.set("page", "key", _page("rendered"))
        return _page("rendered")

    return render


def test_concurrent_requests_for_a_missing_page_render_it_once():
    cache, renders = DashboardCache(generation=1), []
    render = _renderer(cache, renders, seconds=0.3)
    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = list(pool.map(lambda _: page_rendered_once(cache, "key", render), range(8)))

    assert len(renders) == 1
    assert pages == [_page("rendered")] * 8


def test_a_request_waiting_for_a_render_that_never_comes_renders_the_page_itself(monkeypatch):
    monkeypatch.setattr(dashboards_cache, "RENDER_WAIT_SECONDS", 0.2)
    cache, renders = DashboardCache(generation=1), []
    assert cache.add("page-lock", "key", True, 30)  # another request renders it, and never finishes
    started = time.monotonic()

    assert page_rendered_once(cache, "key", _renderer(cache, renders)) == _page("rendered")
    assert len(renders) == 1
    assert time.monotonic() - started >= 0.2


def test_a_request_stops_waiting_as_soon_as_the_other_render_gives_up():
    cache, renders = DashboardCache(generation=1), []
    assert cache.add("page-lock", "key", True, 30)
    # The other request's render fails (or answers a page not to cache) and lets go of its lock.
    threading.Timer(0.05, lambda: cache.delete("page-lock", "key")).start()
    started = time.monotonic()

    assert page_rendered_once(cache, "key", _renderer(cache, renders)) == _page("rendered")
    assert len(renders) == 1
    assert time.monotonic() - started < dashboards_cache.RENDER_WAIT_SECONDS / 2


def test_a_waiting_request_gets_the_page_the_other_one_stored():
    cache, renders = DashboardCache(generation=1), []
    assert cache.add("page-lock", "key", True, 30)
    threading.Timer(0.05, lambda: cache.set("page", "key", _page("from the other request"))).start()

    assert page_rendered_once(cache, "key", _renderer(cache, renders)) == _page("from the other request")
    assert renders == []


def test_with_redis_down_a_missing_page_is_rendered_without_waiting(redis_down):
    cache, renders = DashboardCache(generation=1), []
    started = time.monotonic()

    assert page_rendered_once(cache, "key", _renderer(cache, renders)) == _page("rendered")
    assert len(renders) == 1
    assert time.monotonic() - started < dashboards_cache.RENDER_WAIT_SECONDS / 2
