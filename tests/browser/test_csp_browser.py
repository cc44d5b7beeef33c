"""The strict Content-Security-Policy in Debian's chromium: every chart still draws, and the browser
reports no violation of the policy and no console error, on the pages with Plotly charts and on
the plain ones."""

import pytest

from tests.dashboards.dashboard_data import known_dataset, known_dspt
from tests.factories import EvidenceSubmissionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Runs before any page script: records each violation the browser reports for the policy.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'} `
    + `at ${event.sourceFile}:${event.lineNumber}: ${(event.sample || '').slice(0, 80)}`);
});
"""


@pytest.fixture
def watched_page(page, seeded_reference_data, sign_in):
    """A browser page signed in as programme staff, recording policy violations and console errors."""
    page.known = known_dataset()
    known_dspt(page.known)
    sign_in(UserFactory(roles=["Programme staff"]))
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def violations(page) -> list[str]:
    return page.evaluate("() => window.__cspViolations")


@pytest.mark.parametrize(
    ("path", "charts"),
    [("/", 4), ("/regions/Y56/", 1), ("/trusts/T02/", 1)],
    ids=["national", "region", "trust"],
)
def test_charts_draw_under_the_policy_with_no_violation(watched_page, live_server, path, charts):
    page = watched_page

    response = page.goto(f"{live_server.url}{path}")
    # Long charts (a region's heatmap) are folded and drawn when opened.
    for summary in page.locator("details:has(.digitrack-chart) > summary").all():
        summary.click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.digitrack-chart .main-svg').length >= {charts}", timeout=15_000
    )
    # Hovering draws Plotly's hover labels, styled at run time.
    page.locator(".digitrack-chart .nsewdrag").first.hover(force=True)
    page.wait_for_timeout(300)

    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert violations(page) == []
    assert page.errors == []
    # The NHS.UK template's nonced inline script ran.
    assert "js-enabled" in page.evaluate("() => document.body.className")


@pytest.mark.parametrize("path", ["/review/", "/review/{pdf}/", "/no-such-page/", "/trusts/T02/evidence/"])
def test_plain_pages_have_no_violation(watched_page, live_server, path):
    """The review page included, which frames a PDF's preview (frame-src 'self')."""
    page = watched_page
    pdf = EvidenceSubmissionFactory(trust=page.known.t2)

    page.goto(f"{live_server.url}{path.format(pdf=pdf.pk)}")
    page.wait_for_load_state("load")

    assert violations(page) == []
    assert page.errors == [] or path == "/no-such-page/"  # the 404 itself is logged as a console error
    assert "js-enabled" in page.evaluate("() => document.body.className")


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/milestones/target/", "/admin/milestones/target/add/", "/admin/auth/user/"],
)
def test_the_admin_works_under_the_policy(page, live_server, seeded_reference_data, path, sign_in, superuser):
    sign_in(superuser)
    page.add_init_script(LISTEN_FOR_VIOLATIONS)

    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("load")

    assert violations(page) == []
