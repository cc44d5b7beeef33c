"""Everything the dashboards cache: what, on what key, and what makes it stale.

| What | Where | Key | Stale when |
| --- | --- | --- | --- |
| Aggregates a page reads (counts, target facts) | Redis, `DashboardCache.get_or_compute` | release, generation, name, filters | the generation moves on |
| Rendered parts of a page (bodies, tables, DMA averages) | Redis, `cached_body` / `cached_parts` | release, generation, name, filters | the generation moves on |
| The filter panel | Redis, `content_cached` | release and everything it shows (action, query, choices) | never by data: its key changes with its inputs |
| Whole pages and API answers | Redis, `cached_page` | release, generation, URL, audience, day | the generation or the day moves on |
| Who is rendering a missing page | Redis, `cached_page` (a lock for at most RENDER_LOCK_SECONDS) | as the page's | the page is stored, or its render fails |
| A page's most recent render, whatever its generation | Redis, `cached_page` | as the page's, less the generation | RECENT_PAGE_SECONDS after it was stored |
| Reads several parts of one page share | the request, `page_memo` | name | the end of the request |
| The design system's table macro | each process, `memoized_table` (LRU of 128) | the table's parameters | never (same parameters, same HTML) |
| The national trend (month-end snapshots) | Redis, `content_cached` | release, inputs and snapshots generations, filters | a write to what statuses are computed from, or to a snapshot |
| The statuses on a past day (as-of views) | PostgreSQL, DayStatus (`day_statuses_ensure`) | the day, inputs generation | a write to what statuses are computed from (not a recompute) |

The generation is a counter in PostgreSQL (milestones.generation) that every write changing what
the dashboards show bumps inside its transaction, so what is cached goes stale the moment the
change commits, even if Redis was down at the time (only a request that comes while another
renders the page afresh is answered with its most recent render); a page reads it once, before the
data it covers, with the inputs generation beside it, which only writes to what statuses are
computed from move on (a recompute moves the generation on, not it). The release (`release()`) is the deploy's
identity: a new one never serves what the one before it rendered. Redis is a speed-up only: when it
cannot be reached, reads miss (settings: IGNORE_EXCEPTIONS).
"""

import datetime
import functools
import hashlib
import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from jinja2 import Environment
from markupsafe import Markup, escape

from milestones.generation import dashboard_generations
from milestones.labels import TIME_AGO_AS_DATE_AFTER, time_ago
from trusts.selectors import trusts_for_user, user_sees_all_trusts

# What shapes a cached page part: templates, the Python that builds and renders it, and the
# pinned dependencies and package version in pyproject.toml (the design system's macros among them).
RELEASE_SOURCES = ("templates", "digitrack", "dashboards", "milestones", "trusts")


def code_release(base_dir: Path) -> str:
    """A short hash of pyproject.toml and every template and Python file under RELEASE_SOURCES."""
    digest = hashlib.sha256((base_dir / "pyproject.toml").read_bytes())
    for folder in RELEASE_SOURCES:
        for path in sorted((base_dir / folder).rglob("*")):
            if path.suffix in (".py", ".jinja", ".html") and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base_dir)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def _code_release_of(base_dir: Path) -> str:
    # Reads a few hundred small files, once per process.
    return code_release(base_dir)


def release() -> str:
    """The code release in every key: settings.RELEASE when a deploy sets it (a commit id), else a
    hash of the code and templates."""
    return settings.RELEASE or _code_release_of(Path(settings.BASE_DIR))


T = TypeVar("T")


@dataclass(frozen=True)
class DashboardCache:
    """The cache as one request sees it: the generation is read once, before any data it covers
    (so data read later is at least as new as the generation it is cached under), with the inputs
    generation (what the statuses stored for past days are kept under) and the snapshots generation
    (what the national trend is kept under)."""

    generation: int
    inputs: int = 0
    snapshots: int = 0

    def _key(self, name: str, filters_key: str, generation: int | str | None = None) -> str:
        return f"dashboard:{release()}:{self.generation if generation is None else generation}:{name}:{filters_key}"

    def get(self, name: str, filters_key: str):
        """The value cached under this generation, or None."""
        return cache.get(self._key(name, filters_key))

    def set(self, name: str, filters_key: str, value) -> None:
        cache.set(self._key(name, filters_key), value)

    def add(self, name: str, filters_key: str, value, timeout: float) -> bool:
        """Store the value only if nothing is stored under its key; whether it was (False with
        Redis away)."""
        return bool(cache.add(self._key(name, filters_key), value, timeout))

    def get_many(self, names: list[str], filters_key: str) -> dict:
        """The values of several names under one key that are cached, by name, in one round trip."""
        found = cache.get_many([self._key(name, filters_key) for name in names]) or {}
        return {name: found[self._key(name, filters_key)] for name in names if self._key(name, filters_key) in found}

    def delete(self, name: str, filters_key: str) -> None:
        cache.delete(self._key(name, filters_key))

    def set_recent(self, name: str, filters_key: str, value, timeout: float) -> None:
        """Store the value for `timeout` seconds under no generation, as the most recent one."""
        cache.set(self._key(name, filters_key, generation="recent"), value, timeout)

    def get_recent(self, name: str, filters_key: str):
        """The value set_recent stored last, whatever the generation now, or None."""
        return cache.get(self._key(name, filters_key, generation="recent"))

    def get_or_compute(self, name: str, filters_key: str, compute: Callable[[], T]) -> T:
        """compute() through the cache; it is called only on a miss."""
        value = self.get(name, filters_key)
        if value is None:
            value = compute()
            self.set(name, filters_key, value)
        return value


def content_cached(name: str, inputs_key: str, compute: Callable[[], T]) -> T:
    """compute() through the cache under a key made from everything the value depends on, not from
    the generation: for a part most writes leave as it was (`inputs_key` must cover all its inputs)."""
    key = f"dashboard:{release()}:content:{name}:{inputs_key}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def dashboard_cache() -> DashboardCache:
    """The cache for one page: one query for the generations, read once within dashboard_page_scope."""
    scope = _page_scope.get()
    if scope is not None:
        return scope.cache
    generation, inputs, snapshots = dashboard_generations()
    return DashboardCache(generation=generation, inputs=inputs, snapshots=snapshots)


@dataclass
class _PageScope:
    cache: DashboardCache
    memo: dict = field(default_factory=dict)


# Within dashboard_page_scope: the generation read at its start and reads made once for the page.
_page_scope: ContextVar[_PageScope | None] = ContextVar("dashboard_page_scope", default=None)


@contextmanager
def dashboard_page_scope() -> Iterator[DashboardCache]:
    """One page's request: the generation is read once for every part of it (so all parts are cached
    under the same one), and page_memo() reads are made once. Only around reads: a write within
    would not see its own changes in what page_memo() kept."""
    token = _page_scope.set(_PageScope(cache=dashboard_cache()))
    try:
        yield _page_scope.get().cache
    finally:
        _page_scope.reset(token)


def page_memo(name: str, compute: Callable[[], T]) -> T:
    """compute() once per dashboard_page_scope (several parts of a page read the targets); outside
    one, every call computes."""
    scope = _page_scope.get()
    if scope is None:
        return compute()
    if name not in scope.memo:
        scope.memo[name] = compute()
    return scope.memo[name]


def compact(html: str) -> str:
    """Drop the indentation the design system's macros leave (half the bytes of a table-heavy page)."""
    return re.sub(r"\n\s+", "\n", html)


def rendered_part(template: str, context: dict) -> str:
    return compact(render_to_string(template, context))


def cached_body(cache: DashboardCache, name: str, key: str, template: str, context: Callable[[], dict]) -> Markup:
    """A part of a page that depends only on the statuses and the filters, rendered once per
    cache generation: context() is called only when it has to be rendered."""
    return Markup(cache.get_or_compute(f"{name}-html", key, lambda: rendered_part(template, context())))


def cached_parts(
    cache: DashboardCache, name: str, key: str, templates: dict[str, str], context: Callable[[], dict]
) -> dict[str, Markup]:
    """Several parts of a page from one context (the headline above the filters, the body below
    them), each cached; context() is called at most once, when one of them has to be rendered."""
    made: list[dict] = []

    def once() -> dict:
        if not made:
            made.append(context())
        return made[0]

    return {part: cached_body(cache, f"{name}-{part}", key, template, once) for part, template in templates.items()}


def memoized_table(env: Environment) -> Callable[[dict], Markup]:
    """The design system's table macro, memoized on its parameters, which must be plain JSON (as
    digitrack.tables.table_params makes them).

    The macro takes about 0.2 ms a cell, so a dashboard's tables cost it well over 100 ms; when
    a review moves the cache generation on, most of them are unchanged and come from here."""
    template = env.from_string('{% from "nhsuk/components/tables/macro.jinja" import table %}{{ table(params) }}')

    @functools.lru_cache(maxsize=128)
    def render(params_json: str) -> Markup:
        return Markup(template.render(params=json.loads(params_json)))

    return lambda params: render(json.dumps(params, sort_keys=True))


# Whole pages. A page is the same for everyone who holds the same permissions (and, for anyone who
# does not see every trust, the same trusts): the signed-in user's name, the CSRF token, the CSP
# nonce and the time-relative texts ("3 minutes ago") are its only per-request parts. They are cut
# out as slots when the page is cached and filled in on every request, so a page stays cached until
# the generation or the day moves on (what pages show of today, such as deadlines, moves with the day).

ACCOUNT_NAME_SLOT = "__digitrack_slot_account_name__"
# Stand-ins for the other per-request parts; none can occur in a real page.
CSRF_TOKEN_SLOT = "__digitrack_slot_csrf_token__"
CSP_NONCE_SLOT = "__digitrack_slot_csp_nonce__"
# A moment, in microseconds since 1970 (UTC), to be written as "3 minutes ago" when served.
TIME_AGO_SLOT = re.compile(r"__digitrack_slot_time_ago_(\d+)__")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# Any slot, in a page's bytes: a cached page is kept cut at them, so a hit only joins its parts.
ANY_SLOT = re.compile(rb"(__digitrack_slot_(?:account_name|csrf_token|csp_nonce|time_ago_\d+)__)")
# Django's masked CSRF token (64 letters and digits) as its hidden input writes it.
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')

# A missing page is rendered by one request at a time: others asking for it meanwhile get its
# most recent render if it is at most RECENT_PAGE_SECONDS old (the answer they would have had a
# moment sooner), else poll for the new one, rather than render it too (20 connections rendering
# the same page after every change or at midnight would each take twenty times as long, and with
# sync workers a waiting request holds its worker). A renderer that dies leaves its lock for at
# most RENDER_LOCK_SECONDS; a waiter gives up after RENDER_WAIT_SECONDS and renders the page itself.
RENDER_LOCK_SECONDS = 30
RENDER_WAIT_SECONDS = 3.0
RENDER_POLL_SECONDS = 0.01
RECENT_PAGE_SECONDS = 60


def account_name(request) -> str:
    """The signed-in user's name for the header, or its slot while a page is rendered for caching."""
    if getattr(request, "renders_for_page_cache", False):
        return ACCOUNT_NAME_SLOT
    return request.user.get_full_name() or request.user.get_username()


def time_ago_text(request, moment: datetime.datetime | None) -> str:
    """ "3 minutes ago" for `moment` now, or, while a page is rendered for caching, its slot, written
    out afresh each time the page is served (unless it is far enough back to be written as its date,
    which stays as it is: formatting a date costs as much as the rest of serving a page)."""
    now = timezone.now()
    if moment is None or not getattr(request, "renders_for_page_cache", False) or now - moment > TIME_AGO_AS_DATE_AFTER:
        return time_ago(moment, now)
    microseconds = (moment - EPOCH) // datetime.timedelta(microseconds=1)
    return f"__digitrack_slot_time_ago_{microseconds}__"


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


def _to_slots(content: bytes, request) -> tuple[bytes, ...]:
    """The page cut at its per-request parts: what every request shares and the slots, in turn
    (cut once, when it is cached: a page of 200 KB scanned for each slot on every hit cost a tenth
    of the hit)."""
    content = CSRF_INPUT.sub(rb"\g<1>" + CSRF_TOKEN_SLOT.encode() + rb"\g<2>", content)
    nonce = getattr(request, "_csp_nonce", None)  # django-csp keeps the nonce here once a page used it
    if isinstance(nonce, str) and nonce:
        content = content.replace(nonce.encode(), CSP_NONCE_SLOT.encode())
    return tuple(ANY_SLOT.split(content))


def _from_slots(parts: tuple[bytes, ...], request, charset: str) -> bytes:
    filled, values = list(parts), {}
    for index in range(1, len(filled), 2):  # the slots
        slot = filled[index]
        if slot not in values:
            values[slot] = _slot_value(slot.decode(), request).encode(charset)
        filled[index] = values[slot]
    return b"".join(filled)


def _slot_value(slot: str, request) -> str:
    if slot == ACCOUNT_NAME_SLOT:
        return str(escape(account_name(request)))
    if slot == CSRF_TOKEN_SLOT:
        return get_token(request)
    if slot == CSP_NONCE_SLOT:
        return str(request.csp_nonce)
    moment = EPOCH + datetime.timedelta(microseconds=int(TIME_AGO_SLOT.fullmatch(slot)[1]))
    return str(escape(time_ago(moment, timezone.now())))


def page_store(cache: DashboardCache, key: str, page) -> None:
    """Cache a rendered page under its generation, and as its most recent render."""
    cache.set("page", key, page)
    cache.set_recent("page", key, page, RECENT_PAGE_SECONDS)


def page_rendered_once(cache: DashboardCache, key: str, render: Callable[[], T]) -> T:
    """The page cached under `key`, else what render() returns, rendered by one request at a time:
    while another request holds the key's lock, answer with the page's most recent render, or with
    none that recent, wait for the page it stores (at most RENDER_WAIT_SECONDS, and no longer than
    its lock lasts), then render it here if it never came. render() stores the page (page_store)
    when it may be cached."""
    cached = cache.get("page", key)
    if cached is not None:
        return cached
    locked = cache.add("page-lock", key, True, RENDER_LOCK_SECONDS)
    if not locked:
        recent = cache.get_recent("page", key)
        if recent is not None:
            return recent
        deadline = time.monotonic() + RENDER_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(RENDER_POLL_SECONDS)
            found = cache.get_many(["page", "page-lock"], key)
            if "page" in found:
                return found["page"]
            if "page-lock" not in found:
                break  # its render failed or gave a page not to cache: render it here
    try:
        return render()
    finally:
        if locked:
            cache.delete("page-lock", key)


def cached_page(view):
    """Serve a signed-in GET from the cache when this audience has had the same URL rendered in
    this cache generation and day; otherwise run the view (one request at a time per page, the
    others waiting for its answer) and cache a 200 answer. Put it inside the sign-in and permission
    decorators: a cached page never skips them. A request with flash messages to show is rendered
    afresh and not cached. GET views only: the view runs within dashboard_page_scope."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or not request.user.is_authenticated or _has_messages(request):
            return view(request, *args, **kwargs)
        with dashboard_page_scope() as cache:
            # The whole address (scheme and host too: the API writes absolute links), hashed to a
            # fixed length however long the query string.
            address = f"{request.build_absolute_uri()}|{audience_key(request.user)}|{timezone.localdate()}"
            key = hashlib.sha256(address.encode()).hexdigest()

            def render():
                request.renders_for_page_cache = True
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    request.renders_for_page_cache = False
                if response.status_code != 200 or response.streaming or response.has_header("Content-Disposition"):
                    return response
                page = (response["Content-Type"], response.charset, _to_slots(response.content, request))
                page_store(cache, key, page)
                return page

            page = page_rendered_once(cache, key, render)
        if not isinstance(page, tuple):
            return page  # not to be cached: an error, a redirect, a download
        content_type, charset, parts = page
        return HttpResponse(_from_slots(parts, request, charset), content_type=content_type)

    return wrapper
