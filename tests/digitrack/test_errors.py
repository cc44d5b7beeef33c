"""Error pages: plain NHS pages, no stack trace; a lost database answers 503 with Retry-After."""

import pytest
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


def test_unknown_page_answers_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
