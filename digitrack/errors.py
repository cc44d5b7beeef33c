"""Error pages: plain NHS-styled pages that need neither the database nor a signed-in user."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

# Seconds a client is asked to wait when the database is away (a restart takes a few).
RETRY_AFTER_SECONDS = 10


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500, called while the exception is being handled.

    A lost database connection is a temporary fault, not a bug: answer 503 with Retry-After,
    so clients and proxies retry while PostgreSQL restarts. Anything else is a 500.
    """
    if isinstance(sys.exception(), (OperationalError, InterfaceError)):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
