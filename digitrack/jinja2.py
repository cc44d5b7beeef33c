"""The Jinja2 environment for pages: project templates first, then the NHS.UK macros."""

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from dashboards import presenters
from dashboards.cache import account_name, memoized_table, time_ago_text
from digitrack.dates import long_date, long_date_time
from digitrack.forms import form_error_summary
from milestones.labels import submission_tag
from milestones.models import REVIEW_EVIDENCE
from trusts.models import VIEW_ALL_TRUSTS
from trusts.selectors import user_sees_all_trusts

# The header's navigation: (URL name, label, permission needed or None for any signed-in user;
# STAFF for the Django admin, which lets in staff users only).
STAFF = "is_staff"
NAVIGATION: list[tuple[str, str, str | None]] = [
    ("dashboards:national", "National overview", VIEW_ALL_TRUSTS),
    ("dashboards:trust_list", "Trusts", VIEW_ALL_TRUSTS),
    ("milestones:review_queue", "Review queue", REVIEW_EVIDENCE),
    ("admin:index", "Admin", STAFF),
]


def url(viewname: str, *args, **kwargs) -> str:
    """Reverse a URL name, as Django's {% url %} tag does."""
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def navigation_items(request) -> list[dict]:
    """The header links this user may follow, the current one marked."""
    items = []
    for name, label, permission in NAVIGATION:
        allowed = request.user.is_staff if permission == STAFF else not permission or request.user.has_perm(permission)
        if not allowed:
            continue
        href = reverse(name)
        current = request.path == href or (href != "/" and request.path.startswith(href))
        items.append({"href": href, "text": label, "current": current})
    return items


def csp_nonce(request) -> str:
    """The nonce the Content-Security-Policy header allows inline scripts by ("" where no policy
    middleware ran): the NHS.UK page template puts it on its one inline script as cspNonce."""
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def environment(**options) -> Environment:
    # Django hands in a FileSystemLoader over DIRS; the design system's macros come after it.
    options["loader"] = ChoiceLoader(
        [options["loader"], PackageLoader("nhsuk_frontend_jinja", package_path="templates")]
    )
    options.setdefault("autoescape", True)
    # The NHS.UK macros read nested optional parameters (params.navigation.colour).
    options["undefined"] = ChainableUndefined
    env = Environment(**options)
    env.globals.update(
        {
            "static": static,
            "url": url,
            "navigation_items": navigation_items,
            "get_messages": get_messages,
            "account_name": account_name,
            "time_ago_text": time_ago_text,  # "3 minutes ago", written afresh on a cached page
        }
    )
    env.globals["form_error_summary"] = form_error_summary
    env.globals["csp_nonce"] = csp_nonce
    env.globals["user_sees_all_trusts"] = user_sees_all_trusts
    env.globals["submission_tag"] = submission_tag  # the review-state tag of milestones/evidence pages
    env.globals["data_table"] = memoized_table(env)
    env.globals["present"] = presenters  # what the dashboards show, as dashboards.presenters makes it
    # Dates as digitrack.dates writes them; a template names no format of its own.
    env.filters["date"] = long_date
    env.filters["date_time"] = long_date_time
    return env
