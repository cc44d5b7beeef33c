"""A URLconf for tests: the project's own URLs and error handlers, plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from digitrack.urls import handler400, handler403, handler404, handler500
from digitrack.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection to server at 10.0.0.5 failed: server closed the connection")


def broken(request: HttpRequest) -> HttpResponse:
    raise ValueError("a bug with a secret in its message: hunter2")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a request no browser sends")


def trust_page(request: HttpRequest, code: str) -> HttpResponse:
    return HttpResponse(f"trust {code}")


urlpatterns = [
    path("test/database-gone/", database_gone),
    path("test/broken/", broken),
    path("test/forbidden/", forbidden),
    path("test/bad-request/", bad_request),
    path("trusts/<str:code>/", trust_page),
    *project_urlpatterns,
]
