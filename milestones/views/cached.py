"""Whole dashboard pages and API answers, cached per cache generation, audience and request.

A page is the same for everyone who holds the same permissions (and, for anyone who does not see
every trust, the same trusts): the signed-in user's name, the CSRF token and the CSP nonce are its
only per-request parts. They are cut out as slots when the page is cached and filled in on every
request. Time-relative texts ("3 minutes ago") stay right to the minute because the key carries the
minute. Anything else a page shows must come from data whose writes bump the cache generation.
"""

import functools
import hashlib
import re

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from markupsafe import escape

from digitrack.jinja2 import ACCOUNT_NAME_SLOT, account_name
from trusts.selectors import trusts_for_user, user_sees_all_trusts

from ..cache import dashboard_page_scope

# Stand-ins for the per-request parts of a cached page; none can occur in a real page.
CSRF_TOKEN_SLOT = "__digitrack_slot_csrf_token__"
CSP_NONCE_SLOT = "__digitrack_slot_csp_nonce__"
# Django's masked CSRF token (64 letters and digits) as its hidden input writes it.
CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')


def audience_key(user) -> str:
    """Who may share a cached page with this user: the same permissions and staff flags and, short
    of seeing every trust, the same trusts (a CIO unlinked from a trust stops seeing it at once)."""
    permissions = ",".join(sorted(user.get_all_permissions()))
    if user_sees_all_trusts(user):
        scope = "all"
    else:
        scope = ",".join(str(pk) for pk in trusts_for_user(user).order_by("pk").values_list("pk", flat=True))
    audience = f"{user.is_staff}|{user.is_superuser}|{permissions}|{scope}"
    return hashlib.sha256(audience.encode()).hexdigest()[:24]


def _has_messages(request) -> bool:
    # Counting loads the messages without marking them shown: the fresh render shows them.
    return len(get_messages(request)) > 0


def _to_slots(content: str, request) -> str:
    content = CSRF_INPUT.sub(rf"\g<1>{CSRF_TOKEN_SLOT}\g<2>", content)
    nonce = getattr(request, "_csp_nonce", None)  # django-csp keeps the nonce here once a page used it
    if isinstance(nonce, str) and nonce:
        content = content.replace(nonce, CSP_NONCE_SLOT)
    return content


def _from_slots(content: str, request) -> str:
    if ACCOUNT_NAME_SLOT in content:
        content = content.replace(ACCOUNT_NAME_SLOT, str(escape(account_name(request))))
    if CSRF_TOKEN_SLOT in content:
        content = content.replace(CSRF_TOKEN_SLOT, get_token(request))
    if CSP_NONCE_SLOT in content:
        content = content.replace(CSP_NONCE_SLOT, str(request.csp_nonce))
    return content


def cached_page(view):
    """Serve a signed-in GET from the cache when this audience has had the same URL rendered in
    this cache generation and minute; otherwise run the view and cache a 200 answer. Put it inside
    the sign-in and permission decorators: a cached page never skips them. A request with flash
    messages to show is rendered afresh and not cached. GET views only: the view runs within
    dashboard_page_scope."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or not request.user.is_authenticated or _has_messages(request):
            return view(request, *args, **kwargs)
        with dashboard_page_scope() as cache:
            minute = timezone.now().strftime("%Y%m%d%H%M")
            # The whole address (scheme and host too: the API writes absolute links), hashed to a
            # fixed length however long the query string.
            address = f"{request.build_absolute_uri()}|{audience_key(request.user)}|{minute}"
            key = hashlib.sha256(address.encode()).hexdigest()
            cached = cache.get("page", key)
            if cached is None:
                request.renders_for_page_cache = True
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    request.renders_for_page_cache = False
                if response.status_code != 200 or response.streaming or response.has_header("Content-Disposition"):
                    return response
                cached = (response["Content-Type"], _to_slots(response.content.decode(response.charset), request))
                cache.set("page", key, cached)
        content_type, content = cached
        return HttpResponse(_from_slots(content, request), content_type=content_type)

    return wrapper
