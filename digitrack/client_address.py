"""The client's address, as far as it can be trusted, for the audit log and sign-in throttling.

Each reverse proxy in front of DigiTrack appends the address it was connected from to
X-Forwarded-For. With TRUSTED_PROXY_COUNT = N, the last N entries were written by our proxies,
so entry -N is the address the outermost one saw: the client. Entries to its left were sent by
the client and can say anything. With N = 0 the header is ignored and the socket's address is used.
Django must then be reachable only through those N proxies.
"""

import ipaddress

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address, or None when the trusted proxy's entry is not an address."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [entry for entry in forwarded if entry]
    if count == 0 or len(forwarded) < count:
        # No proxy trusted, or the request did not pass through all of them: the socket's address.
        return request.META.get("REMOTE_ADDR")
    return _address_without_port(forwarded[-count])


def _address_without_port(entry: str) -> str | None:
    if entry.startswith("["):  # [2001:db8::1]:443
        entry = entry[1:].partition("]")[0]
    elif entry.count(":") == 1:  # 192.0.2.1:443
        entry = entry.partition(":")[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware, recording the address client_address() trusts rather than
    the first X-Forwarded-For entry, which any client can set."""

    @staticmethod
    def _get_remote_addr(request):
        if settings.AUDITLOG_DISABLE_REMOTE_ADDR:
            return None
        return client_address(request)

    @staticmethod
    def _get_remote_port(request):
        # X-Forwarded-Port is only worth recording when our own proxy set it.
        if settings.TRUSTED_PROXY_COUNT == 0:
            return None
        return BaseAuditlogMiddleware._get_remote_port(request)
