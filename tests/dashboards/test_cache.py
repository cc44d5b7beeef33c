"""dashboards/cache.py: a speed-up, never a dependency. With Redis unreachable the cache misses and
moves on, and the cache generation lives in PostgreSQL, so no invalidation is lost while Redis is
away. Whole pages are shared by users with the same permissions and trusts, each still seeing their
own name, CSRF token, CSP nonce and "N minutes ago"; never across a change of scope or data; a
missing page is rendered by one request while the others asking for it wait. The code release is in
every key: a changed template makes a new release, and a new release never serves what the one
before it rendered."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dashboards.cache import (
    TIME_AGO_SLOT,
    DashboardCache,
    code_release,
    dashboard_cache,
    time_ago_text,
)
from digitrack.dates import long_date
from milestones.generation import dashboard_generation_bump
from milestones.labels import TIME_AGO_AS_DATE_AFTER
from milestones.models import ComplianceStatus, DashboardGeneration
from tests.dashboards.dashboard_data import known_dataset
from tests.dashboards.responses import CACHED_PAGE_QUERIES, core_headline
from tests.factories import MINIMAL_PDF, UserFactory

pytestmark = pytest.mark.django_db

requires_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="the suite runs with REDIS_URL set (make test)")
PROJECT = Path(__file__).resolve().parents[2]


# The cache and its generation.


@requires_redis
def test_reads_are_misses_and_writes_are_skipped_when_redis_is_down(redis_down):
    assert redis_down.set("block", "cached value") is None
    assert redis_down.get("block") is None
    assert redis_down.get("block", "computed from PostgreSQL") == "computed from PostgreSQL"
    assert redis_down.get_many(["a", "b"]) == {}
    redis_down.delete("block")


@requires_redis
def test_a_bump_while_redis_is_down_is_kept_in_postgresql(redis_down):
    before = dashboard_cache().generation
    dashboard_generation_bump()
    assert dashboard_cache().generation == before + 1


@requires_redis
@pytest.mark.django_db(transaction=True)
def test_a_bump_is_seen_only_once_its_transaction_commits_and_lost_with_a_rollback():
    before = dashboard_cache().generation
    with transaction.atomic():
        dashboard_generation_bump()
    assert dashboard_cache().generation == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        dashboard_generation_bump()
        raise RuntimeError("the write failed")
    assert dashboard_cache().generation == before + 1


@requires_redis
def test_generation_row_is_written_again_if_missing():
    DashboardGeneration.objects.all().delete()
    assert dashboard_cache().generation == 0
    dashboard_generation_bump()
    assert DashboardGeneration.objects.get().value == 1


@requires_redis
def test_a_bump_written_in_sql_naming_only_the_value_works_as_the_dashboards_bench_writes_it():
    DashboardGeneration.objects.all().delete()
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(
                "INSERT INTO milestones_dashboardgeneration (id, value) VALUES (1, 1) "
                "ON CONFLICT (id) DO UPDATE SET value = milestones_dashboardgeneration.value + 1"
            )
    assert dashboard_cache() == DashboardCache(generation=2, inputs=1, snapshots=1)


@requires_redis
def test_cached_value_is_kept_until_the_generation_moves():
    computed = []

    def compute():
        computed.append(1)
        return f"computed {len(computed)}"

    assert dashboard_cache().get_or_compute("block", "all", compute) == "computed 1"
    assert dashboard_cache().get_or_compute("block", "all", compute) == "computed 1"
    dashboard_generation_bump()
    assert dashboard_cache().get_or_compute("block", "all", compute) == "computed 2"


@requires_redis
def test_reads_hit_again_once_redis_answers():
    cache = caches["default"]
    cache.set("block", "cached value")
    assert cache.get("block") == "cached value"


# Whole pages.


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


# The code release in the keys.


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "digitrack"\nversion = "0.1.0"\n')
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.jinja").write_text("<h1>{{ title }}</h1>")
    (tmp_path / "milestones").mkdir()
    (tmp_path / "milestones" / "presenters.py").write_text("LABEL = 'Met'\n")
    return tmp_path


def test_release_is_stable_while_nothing_changes(project):
    assert code_release(project) == code_release(project)


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("templates/page.jinja", "<h1 class='x'>{{ title }}</h1>"),
        ("milestones/presenters.py", "LABEL = 'Done'\n"),
        ("pyproject.toml", '[project]\nname = "digitrack"\nversion = "0.2.0"\n'),
    ],
)
def test_a_changed_template_code_file_or_version_makes_a_new_release(project, path, text):
    before = code_release(project)
    (project / path).write_text(text)
    assert code_release(project) != before


def test_other_files_do_not_change_the_release(project):
    before = code_release(project)
    (project / "milestones" / "data.csv").write_text("a,b\n")
    assert code_release(project) == before


def test_release_comes_from_the_environment_when_set():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    script = "import django; django.setup(); from dashboards.cache import release; print(release())"
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**env, **extra, "DJANGO_SETTINGS_MODULE": "digitrack.settings"},
        )
        for extra in ({"RELEASE": "abc123"}, {"RELEASE": ""})
    ]
    assert runs[0].stdout.strip() == "abc123"
    assert runs[1].stdout.strip() == code_release(PROJECT)


def test_a_new_release_renders_afresh_what_the_previous_one_cached(client, settings):
    data = known_dataset()
    client.force_login(UserFactory(roles=["Programme staff"]))
    settings.RELEASE = "before-deploy"
    assert "33.3%" in core_headline(client)
    data.t3.compliance_statuses.filter(target=data.core).update(status="met")
    assert "33.3%" in core_headline(client)  # the same release: served from the cache
    settings.RELEASE = "after-deploy"
    assert "66.7%" in core_headline(client)


def test_a_moment_past_six_weeks_is_cached_as_its_date_and_a_recent_one_as_a_slot():
    """A date never turns back into "N days ago", so it is written once, not on every hit."""
    request = HttpRequest()
    request.renders_for_page_cache = True
    now = timezone.now()
    long_ago = now - TIME_AGO_AS_DATE_AFTER - datetime.timedelta(minutes=1)
    recent = now - TIME_AGO_AS_DATE_AFTER + datetime.timedelta(hours=1)

    assert time_ago_text(request, long_ago) == f"on {long_date(long_ago)}"
    assert TIME_AGO_SLOT.fullmatch(time_ago_text(request, recent))
    request.renders_for_page_cache = False
    assert time_ago_text(request, recent) == "41 days ago"
