"""Session limits: signed out after SESSION_IDLE_TIMEOUT_SECONDS without a request, and
SESSION_ABSOLUTE_TIMEOUT_SECONDS after signing in however active, since NHS workstations are shared.

Both clocks are kept in the session itself (epoch seconds), so they hold whichever session
engine is configured."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SIGNED_IN_AT = "digitrack_signed_in_at"
LAST_SEEN = "digitrack_last_seen"
# The idle clock is written at most this often, so a burst of requests saves the session once.
LAST_SEEN_RESOLUTION_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="session_clocks_start")
def session_clocks_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now


def session_expired(session, now: float) -> str | None:
    """Why this session has run out ("idle" or "absolute"), or None while it may go on."""
    signed_in_at, last_seen = session.get(SIGNED_IN_AT, now), session.get(LAST_SEEN, now)
    if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
        return "absolute"
    if now - last_seen > settings.SESSION_IDLE_TIMEOUT_SECONDS:
        return "idle"
    return None


class SessionTimeoutMiddleware:
    """Signs out a session past either limit before the view runs, which then answers as to
    anyone signed out (the sign-in page, or the API's 401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            expired = session_expired(request.session, now)
            if expired:
                logout(request)
                minutes = settings.SESSION_IDLE_TIMEOUT_SECONDS // 60
                messages.info(
                    request,
                    f"You were signed out after {minutes} minutes without activity. Sign in again."
                    if expired == "idle"
                    else "You were signed out because you signed in more than "
                    f"{settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS // 3600} hours ago. Sign in again.",
                )
            else:
                request.session.setdefault(SIGNED_IN_AT, now)
                if now - request.session.get(LAST_SEEN, 0) >= LAST_SEEN_RESOLUTION_SECONDS:
                    request.session[LAST_SEEN] = now
        return self.get_response(request)
