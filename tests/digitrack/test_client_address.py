"""The client's address in the audit log and in sign-in throttling: X-Forwarded-For is believed
only as far as TRUSTED_PROXY_COUNT proxies wrote it, so a client cannot choose what is recorded."""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse

from digitrack.client_address import client_address
from tests.factories import EvidenceSubmissionFactory

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.5"  # the socket's address when a proxy is in front
CLIENT = "198.51.100.7"  # what the proxy saw
SPOOFED = "203.0.113.66"  # what the client claims


def request_from(remote_addr: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, SPOOFED, PROXY),
        (1, CLIENT, CLIENT),
        (1, f"{SPOOFED}, {CLIENT}", CLIENT),
        (2, f"{SPOOFED}, {CLIENT}, 10.0.0.9", CLIENT),
        # Fewer entries than trusted proxies: it did not come through them all.
        (2, CLIENT, PROXY),
        (1, None, PROXY),
        (1, f"{SPOOFED}, {CLIENT}:51234", CLIENT),
        (1, "[2001:db8::7]:443", "2001:db8::7"),
        (1, "2001:db8::7", "2001:db8::7"),
        (1, f"{SPOOFED}, not-an-address", None),
    ],
)
def test_address_is_the_entry_the_outermost_trusted_proxy_wrote(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(PROXY, forwarded)) == expected


def withdraw_with_header(client, people, forwarded: str) -> LogEntry:
    submission = EvidenceSubmissionFactory(trust=people.trust_a, requirement=people.requirement)
    client.force_login(people.cio_a)
    client.post(
        reverse("milestones:evidence_withdraw", args=[submission.pk]),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
        HTTP_X_FORWARDED_PORT="4444",
    )
    return LogEntry.objects.get_for_object(submission).get(action=LogEntry.Action.UPDATE)


def test_spoofed_header_is_not_recorded_in_the_audit_log_without_trusted_proxies(client, people, settings):
    settings.TRUSTED_PROXY_COUNT = 0

    entry = withdraw_with_header(client, people, SPOOFED)

    assert entry.changes_dict["state"] == ["submitted", "withdrawn"]
    assert entry.remote_addr == PROXY and entry.remote_port is None


def test_audit_log_records_what_the_trusted_proxy_saw(client, people, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    entry = withdraw_with_header(client, people, f"{SPOOFED}, {CLIENT}")

    assert entry.remote_addr == CLIENT and entry.remote_port == 4444


@pytest.mark.parametrize(("count", "recorded"), [(0, PROXY), (1, CLIENT)])
def test_failed_sign_ins_are_audited_and_throttled_by_the_trusted_address(client, people, settings, count, recorded):
    settings.TRUSTED_PROXY_COUNT = count

    def sign_in(password: str, spoofed: str):
        return client.post(
            "/accounts/login/",
            {"username": "cio-a", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"{spoofed}, {CLIENT}" if count else spoofed,
        )

    # A new forged address each time: were it believed, each would start a fresh count.
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in("wrong", f"203.0.113.{attempt}")

    assert sign_in(PASSWORD, "203.0.113.200").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {recorded}
    failed = LogEntry.objects.filter(additional_data__event="sign_in_failed")
    assert set(failed.values_list("remote_addr", flat=True)) == {recorded}
