"""JSON log lines with request id, user id and trust code; never a request body or password."""

import io
import json
import logging
import sys

import pytest
from django.db import connection
from django.test import Client

from digitrack.logs import JsonFormatter, RequestContextFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """Everything logged during the test, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.fixture
def fault_urls(settings):
    settings.ROOT_URLCONF = "tests.digitrack.fault_urls"


def _request_line(lines: list[dict]) -> dict:
    return next(line for line in lines if line["logger"] == "digitrack.request")


def test_formatter_writes_one_json_object_a_line_with_the_exception_inside():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",), exc_info=sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["message"] == "failed here"
    assert "ValueError: boom" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_request_id_from_the_caller_is_logged_and_echoed(client, log_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")
    assert response["X-Request-ID"] == "lb-7f3a.42"
    line = _request_line(log_lines())
    assert line["request_id"] == "lb-7f3a.42"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["duration_ms"] >= 0


def test_an_unsafe_request_id_is_replaced_by_a_generated_one(client, log_lines):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x" injected\nline')
    generated = response["X-Request-ID"]
    assert len(generated) == 32 and generated.isalnum()
    assert _request_line(log_lines())["request_id"] == generated


def test_signed_in_user_and_trust_code_are_logged(fault_urls, client, log_lines):
    from tests.factories import UserFactory

    user = UserFactory(username="cio")
    client.force_login(user)
    client.get("/trusts/RJ1/")
    line = _request_line(log_lines())
    assert line["user_id"] == user.pk
    assert line["trust_code"] == "RJ1"


def test_anonymous_request_logs_no_user_or_trust(client, log_lines):
    client.get("/healthz")
    line = _request_line(log_lines())
    assert line["user_id"] is None and line["trust_code"] is None


def test_failed_request_logs_neither_the_password_nor_the_uploaded_file(fault_urls, log_lines):
    client = Client(raise_request_exception=False)
    upload = io.BytesIO(b"%PDF-1.4 CONFIDENTIAL-BOARD-PAPER-CONTENTS")
    upload.name = "board.pdf"
    response = client.post("/test/broken/", {"password": "pa55word-never-logged", "file": upload})
    assert response.status_code == 500
    output = json.dumps(log_lines())
    assert "pa55word-never-logged" not in output
    assert "CONFIDENTIAL-BOARD-PAPER-CONTENTS" not in output
    error = next(line for line in log_lines() if line["logger"] == "django.request")
    assert "ValueError" in error["exception"]
    assert error["request_id"] == response["X-Request-ID"]


def test_evidence_and_review_pages_log_the_trust_of_the_evidence(client, log_lines, people):
    from tests.factories import EvidenceSubmissionFactory

    submission = EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement)
    client.force_login(people.cio_a)
    assert client.get(f"/evidence/{submission.pk}/").status_code == 200
    client.force_login(people.staff)
    assert client.get(f"/review/{submission.pk}/").status_code == 200

    pages = [line for line in log_lines() if line["logger"] == "digitrack.request"]
    assert [(line["path"], line["trust_code"]) for line in pages] == [
        (f"/evidence/{submission.pk}/", people.trust_a.ods_code),
        (f"/review/{submission.pk}/", people.trust_a.ods_code),
    ]


def test_evidence_another_trust_may_not_see_logs_no_trust(client, log_lines, people):
    from tests.factories import EvidenceSubmissionFactory

    submission = EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement)
    client.force_login(people.cio_b)
    assert client.get(f"/evidence/{submission.pk}/").status_code == 404
    assert _request_line(log_lines())["trust_code"] is None


def logged_at_the_first_query(message: str):
    """A database execute wrapper that logs `message` (logger milestones.tasks) when the first
    statement runs: a line logged from inside whatever code makes that query."""
    logged = []

    def wrapper(execute, sql, params, many, context):
        if not logged:
            logged.append(sql)
            logging.getLogger("milestones.tasks").info(message)
        return execute(sql, params, many, context)

    return wrapper


def test_a_task_logs_its_id_as_request_id_and_the_trust_it_names(log_lines):
    from milestones import tasks
    from tests.factories import TrustFactory

    trust = TrustFactory(ods_code="RJ1")

    with connection.execute_wrapper(logged_at_the_first_query("recomputing")):
        result = tasks.recompute_trust.apply(args=[trust.pk])
    logging.getLogger("milestones.tasks").info("after the task")

    inside, after = (line for line in log_lines() if line["logger"] == "milestones.tasks")
    assert (inside["request_id"], inside["trust_id"]) == (result.id, trust.pk)
    assert (after["request_id"], after["trust_id"]) == (None, None)


def test_a_task_that_names_no_trust_logs_its_id_and_no_trust(log_lines):
    from milestones import tasks

    with connection.execute_wrapper(logged_at_the_first_query("draining")):
        result = tasks.drain_recompute_requests.apply()

    line = next(line for line in log_lines() if line["logger"] == "milestones.tasks")
    assert (line["request_id"], line["trust_id"]) == (result.id, None)


def test_a_task_names_its_trust_without_a_query(django_assert_num_queries):
    from digitrack.logs import task_context_clear, task_context_set, trust_id_var
    from milestones import tasks

    with django_assert_num_queries(0):
        task_context_set(task_id="t-1", task=tasks.recompute_trust, args=(42,), kwargs={})
    assert trust_id_var.get() == 42
    task_context_clear(task_id="t-1")
    assert trust_id_var.get() is None
