"""Error pages: plain NHS-styled pages that need neither the database nor a signed-in user, for
400, 403, 404 and 500 alike, with DEBUG on (make run) as well as off."""

import logging
import sys

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader

from digitrack.health import pooled_connections_check

# Seconds a client is asked to wait when the database is away (a restart takes a few).
RETRY_AFTER_SECONDS = 10

# What Django answers with a 4xx page even under DEBUG (django.core.handlers.exception).
ANSWERED_BY_DJANGO = (Http404, PermissionDenied, BadRequest, SuspiciousOperation, MultiPartParserError)
logger = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the exception is being handled.

    A lost database connection is a temporary fault, not a bug: answer 503 with Retry-After,
    so clients and proxies retry while PostgreSQL restarts, and have the pool replace the other
    connections it lost. Anything else is a 500.
    """
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        pooled_connections_check()
        response = HttpResponse(loader.render_to_string("503.html", {"request": request}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html", {"request": request}), status=500)


def _page(template: str, status: int, request: HttpRequest) -> HttpResponse:
    # The request only for the Content-Security-Policy nonce of the page's one inline script.
    return HttpResponse(loader.render_to_string(template, {"request": request}), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page("400.html", 400, request)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page("403.html", 403, request)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page("404.html", 404, request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale security token (a page left open past sign-out)."""
    return _page("403_csrf.html", 403, request)


class DebugErrorPagesMiddleware:
    """With DEBUG on (make run), Django answers a missing page, a bad request or a bug with its
    technical page, not handler404, handler400 or handler500: show the NHS page instead, as people
    will see it (the log and console keep the details, a bug's traceback included). Only HTML
    answers are replaced: the API's JSON ones stay as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.get("Content-Type", "").startswith("text/html"):
            if response.status_code == 404:
                return page_not_found(request, None)
            if response.status_code == 400:
                return bad_request(request, None)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A view's bug under DEBUG: log its traceback, then answer handler500's page (Django's
        django.request logger adds its usual "Internal Server Error" line for the 500)."""
        if not settings.DEBUG or isinstance(exception, ANSWERED_BY_DJANGO):
            return None  # Django logs it and calls the handler (or its 404 and 400 pages, replaced above)
        logger.error("Bug behind a 500 (DEBUG on): %s", request.path, exc_info=exception)
        return server_error(request)
