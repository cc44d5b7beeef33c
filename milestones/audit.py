"""Sign-ins and evidence downloads in the audit log, beside the model changes django-auditlog
records itself, and the rule that keeps the log's "who".

Each sign-in attempt is a LogEntry with action "access" on the user, each download one on the
evidence (who, when, from which address); the event is in additional_data. Axes throttles; this
only records.
"""

from auditlog.models import LogEntry
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db.models import ProtectedError
from django.db.models.signals import pre_delete
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


def evidence_download_record(*, submission, request, event: str = "evidence_download") -> LogEntry:
    """Record that the request's user was handed an evidence file, as a download or shown inline
    (event "evidence_preview"): who, which file (name and SHA-256, as names repeat), which trust,
    when and from which address."""
    user = request.user
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(submission),
        object_pk=str(submission.pk),
        object_id=submission.pk,
        object_repr=str(submission)[:200],
        action=LogEntry.Action.ACCESS,
        actor=user,
        actor_email=user.email or None,
        remote_addr=_address(request),
        additional_data={
            "event": event,
            "file": submission.original_name,
            "sha256": submission.sha256,
            "trust": submission.trust.ods_code,
        },
    )


def user_has_audit_entries(user) -> bool:
    return LogEntry.objects.filter(actor=user).exists()


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit_keep_actors")
def audit_keep_actors(sender, instance, **kwargs):
    """A user who has acted is never deleted, from the admin, a script or a cascade: auditlog would
    set each of their entries' actor to null and the log would no longer say who did what. Leavers
    are deactivated instead (is_active off), which ends their sign-ins and keeps their name."""
    if user_has_audit_entries(instance):
        raise ProtectedError(
            f"{instance.get_username()} has entries in the audit log: deactivate the account instead of deleting it.",
            set(LogEntry.objects.filter(actor=instance)[:10]),
        )
