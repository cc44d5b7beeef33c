"""Structured logs: one JSON object a line, carrying the request id, user id and trust.

RequestContextMiddleware sets the request's context in contextvars (so it follows the
request through every logger without being passed around), the access helpers add the
trust of the evidence a page is about (log_context_trust), the Celery signal hooks below do
the same for a task (request id = task id, trust id when the task names a trust: a task
logs the id it was given rather than query for the code),
RequestContextFilter copies it onto each record, and JsonFormatter writes a fixed set of fields. Only those fields are
written: a record's other attributes (Django attaches the request itself to some) never
reach the log, so neither do request bodies, uploaded evidence or passwords.
"""

import inspect
import json
import logging
import re
import time
import uuid
from contextvars import ContextVar, Token
from datetime import UTC, datetime

from celery.signals import task_postrun, task_prerun
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("digitrack.request")

REQUEST_ID_HEADER = "X-Request-ID"
# A caller's request id is kept only if it is short and plain, so it cannot forge log lines.
_ACCEPTABLE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)
trust_code_var: ContextVar[str | None] = ContextVar("trust_code", default=None)
trust_id_var: ContextVar[int | None] = ContextVar("trust_id", default=None)

# Fields a record may carry via `extra=` that the formatter writes; anything else is dropped.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "task", "task_id")


def request_id_for(request: HttpRequest) -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if _ACCEPTABLE_REQUEST_ID.match(offered) else uuid.uuid4().hex


def trust_code_for(request: HttpRequest) -> str | None:
    """The trust a page is about: trust pages live under /trusts/<code>/."""
    match = request.resolver_match
    if match is None or not match.route.startswith("trusts/<"):
        return None
    return next(iter(match.kwargs.values()), None)


def log_context_trust(ods_code: str) -> None:
    """Name the trust the current request is about, where its URL does not (an evidence page):
    set by the access helper that found it, cleared with the rest of the request's context."""
    trust_code_var.set(ods_code)


class RequestContextMiddleware:
    """Give every request an id (the caller's X-Request-ID, or a new one), echo it in the
    response, put the user and trust in the log context, and log one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        tokens = (request_id_var.set(request_id), user_id_var.set(None), trust_code_var.set(None))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            for var, token in zip((request_id_var, user_id_var, trust_code_var), tokens, strict=True):
                var.reset(token)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        # Health checks answer without touching the session (and so the database).
        if getattr(view_func, "skips_user_lookup", False):
            return
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(user.pk)
        trust_code_var.set(trust_code_for(request))


_TASK_VARS = (request_id_var, user_id_var, trust_code_var, trust_id_var)
_task_tokens: dict[str, tuple[Token, ...]] = {}


@task_prerun.connect
def task_context_set(sender=None, task_id=None, task=None, args=None, kwargs=None, **extra) -> None:
    """A task's log lines carry its id as the request id, and its trust's id when it names one."""
    values = (task_id, None, None, _task_trust_id(task, args or (), kwargs or {}))
    _task_tokens[task_id] = tuple(var.set(value) for var, value in zip(_TASK_VARS, values, strict=True))


@task_postrun.connect
def task_context_clear(sender=None, task_id=None, **extra) -> None:
    tokens = _task_tokens.pop(task_id, None)
    if tokens is None:
        return
    for var, token in zip(_TASK_VARS, tokens, strict=True):
        var.reset(token)


def _task_trust_id(task, args: tuple, kwargs: dict) -> int | None:
    try:
        return inspect.signature(task.run).bind_partial(*args, **kwargs).arguments.get("trust_id")
    except TypeError:  # arguments that do not fit the task: Celery reports that itself
        return None


class RequestContextFilter(logging.Filter):
    """Copy the current request's context onto every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        record.trust_code = trust_code_var.get()
        record.trust_id = trust_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """A JSON object a line with a fixed set of fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
            "user_id": getattr(record, "user_id", None),
            "trust_code": getattr(record, "trust_code", None),
            "trust_id": getattr(record, "trust_id", None),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                entry[field] = getattr(record, field)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
