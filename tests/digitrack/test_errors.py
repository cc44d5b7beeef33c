"""Error pages: plain NHS pages, no stack trace; a lost database answers 503 with Retry-After."""

import psycopg
import pytest
from django.db import connection
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def fault_client(settings):
    settings.ROOT_URLCONF = "tests.digitrack.fault_urls"
    return Client(raise_request_exception=False)


def test_lost_database_answers_503_page_with_retry_after(fault_client):
    response = fault_client.get("/test/database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "nhsuk-header" in page
    assert "10.0.0.5" not in page and "Traceback" not in page


def test_a_bug_answers_500_page_without_its_message(fault_client):
    response = fault_client.get("/test/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "hunter2" not in page and "Traceback" not in page


def test_a_bug_with_debug_on_answers_the_500_page_and_logs_its_traceback(fault_client, settings, caplog):
    settings.DEBUG = True  # make run: not Django's debug page, but the traceback still in the log
    with caplog.at_level("ERROR"):
        response = fault_client.get("/test/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Sorry, there is a problem with the service</h1>" in page and "nhsuk-header" in page
    assert "hunter2" not in page and "Traceback" not in page
    (record,) = [r for r in caplog.records if r.exc_info]
    assert record.getMessage() == "Bug behind a 500 (DEBUG on): /test/broken/"
    assert "hunter2" in str(record.exc_info[1])


def test_a_lost_database_with_debug_on_answers_503(fault_client, settings):
    settings.DEBUG = True
    response = fault_client.get("/test/database-gone/")
    assert response.status_code == 503 and response["Retry-After"] == "10"
    assert "10.0.0.5" not in response.content.decode()


def test_unknown_page_answers_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/test/bad-request/", 400, "Sorry, there is a problem with the request"),
        ("/test/forbidden/", 403, "You do not have permission to see this page"),
        ("/no-such-page/", 404, "Page not found"),
    ],
)
def test_400_403_and_404_are_nhs_pages_with_a_way_back_with_debug_on_or_off(
    fault_client, settings, debug, path, status, heading
):
    settings.DEBUG = debug  # make run serves with DEBUG on: people see the same pages there
    response = fault_client.get(path)
    assert response.status_code == status
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page and "nhsuk-header" in page
    assert '<a class="nhsuk-link" href="/">Go to the DigiTrack home page</a>' in page
    assert "Traceback" not in page and "URLconf" not in page


def test_a_stale_form_answers_the_nhs_csrf_page(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.cio_a)
    response = client.post(f"/trusts/{people.trust_a.ods_code}/evidence/new/", {})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()


@pytest.fixture
def pool_dropped_by_postgresql():
    """The database pool, after PostgreSQL has dropped every connection it held (as a restart does)."""
    if getattr(connection, "pool", None) is None:
        pytest.skip("the suite runs on PostgreSQL with pooling (make test)")
    connection.close()  # the test's own connection goes back to the pool
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"], user=params["USER"], host=params["HOST"], port=params["PORT"] or 5432, autocommit=True
    ) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    yield connection.pool
    connection.pool.check()  # live connections again for the database flush after the test


def _a_pooled_connection_works(pool) -> bool:
    pooled = pool.getconn()
    try:
        pooled.execute("SELECT 1")
        return True
    except psycopg.OperationalError:
        return False
    finally:
        pool.putconn(pooled)


@pytest.mark.django_db(transaction=True)
def test_a_lost_database_has_the_pool_replace_the_connections_postgresql_dropped(
    fault_client, pool_dropped_by_postgresql
):
    assert fault_client.get("/test/database-gone/").status_code == 503
    assert _a_pooled_connection_works(pool_dropped_by_postgresql)


@pytest.mark.django_db(transaction=True)
def test_without_that_check_the_pool_would_lend_a_dropped_connection(pool_dropped_by_postgresql):
    assert not _a_pooled_connection_works(pool_dropped_by_postgresql)
