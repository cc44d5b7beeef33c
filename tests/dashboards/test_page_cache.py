"""Whole pages from the cache: shared by users with the same permissions and trusts, each still
seeing their own name, CSRF token and CSP nonce; never across a change of scope or data."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.dashboards.dashboard_data import known_dataset
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
