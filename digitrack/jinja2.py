"""The Jinja2 environment for pages: project templates first, then the NHS.UK macros."""

import functools
import json
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from markupsafe import Markup

from digitrack.dates import format_date
from digitrack.forms import form_error_summary
from milestones.presenters.labels import submission_tag
from trusts.models import VIEW_ALL_TRUSTS
from trusts.selectors import user_sees_all_trusts

# The header's navigation: (URL name, label, permission needed or None for any signed-in user;
# STAFF for the Django admin, which lets in staff users only).
STAFF = "is_staff"
NAVIGATION: list[tuple[str, str, str | None]] = [
    ("milestones:national", "National overview", VIEW_ALL_TRUSTS),
    ("milestones:trust_list", "Trusts", VIEW_ALL_TRUSTS),
    ("milestones:review_queue", "Review queue", "milestones.review_evidencesubmission"),
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


# What the header shows for the user's name while a page is rendered to be cached for everyone
# with the same role (milestones.views.cached fills it in on every request).
ACCOUNT_NAME_SLOT = "__digitrack_slot_account_name__"


def account_name(request) -> str:
    """The signed-in user's name for the header, or its slot while a page is rendered for caching."""
    if getattr(request, "renders_for_page_cache", False):
        return ACCOUNT_NAME_SLOT
    return request.user.get_full_name() or request.user.get_username()


def csp_nonce(request) -> str:
    """The nonce the Content-Security-Policy header allows inline scripts by ("" where no policy
    middleware ran): the NHS.UK page template puts it on its one inline script as cspNonce."""
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def memoized_table(env: Environment) -> Callable[[dict], Markup]:
    """The design system's table macro, memoized on its parameters, which must be plain JSON (as
    milestones.presenters.table_params makes them).

    The macro takes about 0.2 ms a cell, so a dashboard's tables cost it well over 100 ms; when
    a review moves the cache generation on, most of them are unchanged and come from here."""
    template = env.from_string('{% from "nhsuk/components/tables/macro.jinja" import table %}{{ table(params) }}')

    @functools.lru_cache(maxsize=128)
    def render(params_json: str) -> Markup:
        return Markup(template.render(params=json.loads(params_json)))

    return lambda params: render(json.dumps(params, sort_keys=True))


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
        }
    )
    env.globals["form_error_summary"] = form_error_summary
    env.globals["csp_nonce"] = csp_nonce
    env.globals["user_sees_all_trusts"] = user_sees_all_trusts
    env.globals["submission_tag"] = submission_tag  # the review-state tag of milestones/evidence pages
    env.globals["data_table"] = memoized_table(env)
    env.filters["date"] = format_date
    return env
