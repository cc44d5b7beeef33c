"""Sign-ins in the audit log, beside the model changes django-auditlog records itself.

Each attempt is a LogEntry with action "access" on the user (who, when, from which address);
the event is in additional_data. Axes throttles; this only records.
"""

from auditlog.models import LogEntry
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

from digitrack.client_address import client_address


def _address(request) -> str | None:
    return client_address(request) if request is not None else None


def _log_access(*, event: str, request, user=None, username: str = "", actor=None) -> LogEntry:
    """Log an event on the user's account; `actor` is set only when we know who acted."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(get_user_model()),
        object_pk=str(user.pk) if user else "",
        object_id=user.pk if user else None,
        object_repr=user.get_username() if user else username,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        remote_addr=_address(request),
        additional_data={"event": event},
    )


def _user_named(username: str | None):
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs):
    _log_access(event="sign_in", request=request, user=user, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def audit_sign_out(sender, request, user, **kwargs):
    if user is not None:
        _log_access(event="sign_out", request=request, user=user, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD, "")
    user = _user_named(username)
    _log_access(event="sign_in_failed", request=request, user=user, username=username)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    user = _user_named(username)
    _log_access(event="sign_in_locked_out", request=request, user=user, username=username or "")
