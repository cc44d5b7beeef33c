"""Every named URL, found by walking the URL resolver, requested as every role, against the outcome
written down for it here. A URL added without an expectation fails the test, so no page goes out
unchecked; the admin's own URLs are checked by one rule (staff only) further down.

The objects in the URLs belong to trust B: "cio_a" is the CIO of trust A reaching for trust B's
pages, files and exports (always 404, so codes and ids cannot be probed), "cio_b" is trust B's own.
POSTs of the evidence and review actions are in tests/test_permissions.py.

Adding a URL? Add a line to EXPECTATIONS: its URL arguments (placeholders below) and the outcome for
each role in ROLES order. A read page for programme staff is usually
    Expect({...}, LOGIN, 403, 403, 403, 200, 200)
and a trust's page, which a CIO sees only for their own trusts,
    Expect({"code": TRUST}, LOGIN, 404, 404, 200, 200, 200).
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import EvidenceSubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "cio_a", "cio_b", "staff", "admin"]
LOGIN = "login"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin login"  # a redirect to the admin's sign-in page
# Placeholders for URL arguments, filled from the fixture: trust B, its region, its evidence.
TRUST, REGION, EVIDENCE = "<trust B>", "<trust B's region>", "<trust B's evidence>"


@dataclass(frozen=True)
class Expect:
    kwargs: dict
    anonymous: object
    no_role: object
    cio_a: object
    cio_b: object
    staff: object
    admin: object


VIEW_ALL_ONLY = (LOGIN, 403, 403, 403, 200, 200)  # programme staff and admins only
TRUST_SCOPED = (LOGIN, 404, 404, 200, 200, 200)  # staff, admins and the trust's own CIO

EXPECTATIONS: dict[str, Expect] = {
    "healthz": Expect({}, 200, 200, 200, 200, 200, 200),
    "readyz": Expect({}, 200, 200, 200, 200, 200, 200),
    # Signed in already: sent on to the home page.
    "login": Expect({}, 200, 302, 302, 302, 302, 302),
    # Signing out is a POST (the header's form); a GET is refused.
    "logout": Expect({}, 405, 405, 405, 405, 405, 405),
    # Programme staff get the national overview; anyone else the list of their own trusts.
    "dashboards:national": Expect({}, LOGIN, 200, 200, 200, 200, 200),
    "dashboards:trust_list": Expect({}, *VIEW_ALL_ONLY),
    "dashboards:trust_list_csv": Expect({}, *VIEW_ALL_ONLY),
    "dashboards:region": Expect({"code": REGION}, *VIEW_ALL_ONLY),
    "dashboards:trust": Expect({"code": TRUST}, *TRUST_SCOPED),
    "dashboards:national_csv": Expect({"table": "headlines"}, *VIEW_ALL_ONLY),
    "dashboards:region_csv": Expect({"code": REGION, "table": "trusts"}, *VIEW_ALL_ONLY),
    "dashboards:trust_csv": Expect({"code": TRUST, "table": "statuses"}, *TRUST_SCOPED),
    "dashboards:forecasts": Expect({}, *VIEW_ALL_ONLY),
    "dashboards:region_forecasts": Expect({"code": REGION}, *VIEW_ALL_ONLY),
    "dashboards:forecasts_csv": Expect({"table": "backtest-core-2023"}, *VIEW_ALL_ONLY),
    "dashboards:region_forecasts_csv": Expect({"code": REGION, "table": "backtest-core-2023"}, *VIEW_ALL_ONLY),
    "dashboards:stages": Expect({}, *VIEW_ALL_ONLY),
    "dashboards:region_stages": Expect({"code": REGION}, *VIEW_ALL_ONLY),
    "dashboards:stages_csv": Expect({"table": "stage-funnel"}, *VIEW_ALL_ONLY),
    "dashboards:region_stages_csv": Expect({"code": REGION, "table": "stage-funnel"}, *VIEW_ALL_ONLY),
    "dashboards:contradictions": Expect({}, *VIEW_ALL_ONLY),
    "dashboards:region_contradictions": Expect({"code": REGION}, *VIEW_ALL_ONLY),
    "dashboards:contradictions_csv": Expect({"table": "contradictions"}, *VIEW_ALL_ONLY),
    "dashboards:region_contradictions_csv": Expect({"code": REGION, "table": "contradictions"}, *VIEW_ALL_ONLY),
    # The API answers 401 rather than redirecting, and each caller only their own trusts.
    "dashboards:api_statuses": Expect({}, 401, 200, 200, 200, 200, 200),
    "milestones:evidence_list": Expect({"ods_code": TRUST}, *TRUST_SCOPED),
    # Only CIOs submit: the permission is checked before the trust.
    "milestones:evidence_upload": Expect({"ods_code": TRUST}, LOGIN, 403, 404, 200, 403, 403),
    "milestones:evidence_detail": Expect({"pk": EVIDENCE}, *TRUST_SCOPED),
    "milestones:evidence_download": Expect({"pk": EVIDENCE}, *TRUST_SCOPED),
    "milestones:evidence_preview": Expect({"pk": EVIDENCE}, *TRUST_SCOPED),
    # A GET shows what withdrawing would do; the POST does it.
    "milestones:evidence_withdraw": Expect({"pk": EVIDENCE}, LOGIN, 403, 404, 200, 403, 403),
    "milestones:review_queue": Expect({}, *VIEW_ALL_ONLY),
    "milestones:review": Expect({"pk": EVIDENCE}, *VIEW_ALL_ONLY),
    # Each person's own settings: nothing in the URL names anyone else.
    "milestones:reminder_settings": Expect({}, LOGIN, 200, 200, 200, 200, 200),
}


def named_urls(patterns=None, namespace: str = "") -> dict[str, str]:
    """Every named URL pattern the resolver knows, as {"namespace:name": route}."""
    found = {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            found |= {
                name: str(pattern.pattern) + route for name, route in named_urls(pattern.url_patterns, inner).items()
            }
        elif isinstance(pattern, URLPattern) and pattern.name:
            found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = str(pattern.pattern)
    return found


URLS = named_urls()
OWN_URLS = sorted(name for name in URLS if not name.startswith("admin:"))
ADMIN_URLS = sorted(name for name in URLS if name.startswith("admin:"))


def test_every_named_url_has_an_expectation():
    missing = [name for name in OWN_URLS if name not in EXPECTATIONS]
    assert not missing, "No expected outcome for: " + "; ".join(
        f'"{name}" ({URLS[name]}): add Expect({{...}}, anonymous, no_role, cio_a, cio_b, staff, admin)'
        for name in missing
    )
    assert set(EXPECTATIONS) <= set(OWN_URLS), (
        f"Expectations for URLs that are gone: {set(EXPECTATIONS) - set(OWN_URLS)}"
    )


@pytest.fixture
def world(people):
    """people (trusts A and B, a CIO of each, programme staff, an admin), a user with no role, and
    a pending submission of trust B's."""
    people.no_role = UserFactory(username="no-role")
    people.submission = EvidenceSubmissionFactory(
        trust=people.trust_b, requirement=people.requirement, submitted_by=people.cio_b
    )
    return people


def _fill(kwargs: dict, world) -> dict:
    values = {TRUST: world.trust_b.ods_code, REGION: world.trust_b.region.code, EVIDENCE: world.submission.pk}
    return {key: values.get(value, value) for key, value in kwargs.items()}


def _outcome(response) -> object:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    if response.status_code == 302 and response["Location"].startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    return response.status_code


def _get(client, world, role: str, url: str):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client.get(url)


@pytest.mark.parametrize("name", [name for name in OWN_URLS if name in EXPECTATIONS])
def test_each_url_answers_each_role_as_expected(client, world, name):
    expect = EXPECTATIONS[name]
    url = reverse(name, kwargs=_fill(expect.kwargs, world))
    answers = {}
    for role in ROLES:
        client.logout()
        answers[role] = _outcome(_get(client, world, role, url))

    assert answers == {role: getattr(expect, role) for role in ROLES}, url


def _admin_url(name: str) -> str:
    """An admin URL with a stand-in for any argument (an object that need not exist: the staff
    check comes first)."""
    route = URLS[name]
    kwargs = {}
    for argument in ("app_label", "object_id", "content_type_id", "user_id", "id"):
        if f"<{argument}>" in route or f":{argument}>" in route:
            kwargs[argument] = {"app_label": "milestones", "object_id": "1", "content_type_id": 1}.get(argument, 1)
    return reverse(name, kwargs=kwargs or None)


def test_the_admin_lets_in_staff_only(client, world):
    """The Django admin's many URLs, in one test: anyone but the staff admin is sent to the admin's
    sign-in, and the admin (staff, in the Admin group) is let in, to a page or to a refusal that the
    admin's own permissions decide, never a crash."""
    wrong = []
    for name in ADMIN_URLS:
        if name in {"admin:login", "admin:logout"}:
            continue
        url = _admin_url(name)
        for role in ("anonymous", "no_role", "cio_a", "staff"):
            client.logout()
            if (outcome := _outcome(_get(client, world, role, url))) != ADMIN_LOGIN:
                wrong.append(f"{role} {url}: {outcome}")
        if (outcome := _outcome(_get(client, world, "admin", url))) not in {200, 302, 403, 404}:
            wrong.append(f"admin {url}: {outcome}")
    assert len(ADMIN_URLS) > 50 and wrong == []
