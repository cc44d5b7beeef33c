"""Sessions end after 30 minutes without a request, and 12 hours after sign-in whatever happens:
a shared NHS workstation must not stay signed in for days."""

import time

import pytest

pytestmark = pytest.mark.django_db


def _age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_timeouts_come_from_settings(settings):
    assert settings.SESSION_IDLE_TIMEOUT_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS == 12 * 60 * 60
    assert settings.SESSION_COOKIE_AGE <= settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS


def test_an_active_session_goes_on(client, people):
    client.force_login(people.staff)
    _age_session(client, digitrack_last_seen=29 * 60)

    assert client.get("/").status_code == 200


def test_thirty_minutes_idle_signs_out(client, people):
    client.force_login(people.staff)
    _age_session(client, digitrack_last_seen=31 * 60)

    response = client.get("/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_twelve_hours_after_sign_in_signs_out_even_when_active(client, people):
    client.force_login(people.staff)
    _age_session(client, digitrack_signed_in_at=12 * 60 * 60 + 60, digitrack_last_seen=10)

    response = client.get("/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_api_answers_401_once_the_session_has_ended(client, people):
    client.force_login(people.staff)
    _age_session(client, digitrack_last_seen=31 * 60)

    assert client.get("/api/statuses.json").status_code == 401


def test_a_request_moves_the_idle_clock_on(client, people, settings):
    client.force_login(people.staff)
    _age_session(client, digitrack_last_seen=20 * 60)

    client.get("/")

    assert time.time() - client.session["digitrack_last_seen"] < 60


def test_the_sign_in_page_says_why_the_session_ended(client, people):
    client.force_login(people.staff)
    _age_session(client, digitrack_last_seen=31 * 60)

    page = client.get("/", follow=True).content.decode()

    assert "You were signed out after 30 minutes without activity" in page
