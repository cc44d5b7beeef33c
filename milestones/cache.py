"""The dashboards' cache: aggregates and rendered page parts are cached in Redis under keys that
carry the code release and the cache generation. The generation lives in PostgreSQL
(DashboardGeneration), bumped inside every transaction that changes what the dashboards show, so
the cached parts go stale the moment the change commits, even if Redis was down at the time.
Redis is a speed-up only: when it cannot be reached, reads miss (settings: IGNORE_EXCEPTIONS)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from .models import DashboardGeneration

T = TypeVar("T")
# Within dashboard_generation_bumps_deferred: the bumps asked for, made once at its end.
_deferred: ContextVar[list[bool] | None] = ContextVar("dashboard_generation_deferred", default=None)


@dataclass(frozen=True)
class DashboardCache:
    """The cache as one request sees it: the generation is read once, before any data it covers
    (so data read later is at least as new as the generation it is cached under)."""

    generation: int

    def _key(self, name: str, filters_key: str) -> str:
        return f"dashboard:{settings.RELEASE}:{self.generation}:{name}:{filters_key}"

    def get(self, name: str, filters_key: str):
        """The value cached under this generation, or None."""
        return cache.get(self._key(name, filters_key))

    def set(self, name: str, filters_key: str, value) -> None:
        cache.set(self._key(name, filters_key), value)

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
    key = f"dashboard:{settings.RELEASE}:content:{name}:{inputs_key}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value)
    return value


def dashboard_cache() -> DashboardCache:
    """The cache for one page: one query for the generation (0 if the row is missing, as after a
    test database flush; the first bump writes it again), read once within dashboard_page_scope."""
    scope = _page_scope.get()
    if scope is not None:
        return scope.cache
    generation = DashboardGeneration.objects.values_list("value", flat=True).first()
    return DashboardCache(generation=generation or 0)


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


def dashboard_generation_bump() -> None:
    """Make every cached dashboard part stale when the current transaction commits. Call it inside
    the writing transaction, as its last statement where possible: the row stays locked until the
    commit, so concurrent writers queue on it only for their commits."""
    pending = _deferred.get()
    if pending is not None:
        pending.append(True)
        return
    table = DashboardGeneration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, value) VALUES (%s, 1) ON CONFLICT (id) DO UPDATE SET value = {table}.value + 1",
            [DashboardGeneration.ROW_ID],
        )


@contextmanager
def dashboard_generation_bumps_deferred() -> Iterator[None]:
    """Hold back the bumps of the writes within and make one at the end, to be the last statement
    of a transaction that goes on locking rows after a write (the outbox drain recomputes trusts,
    then every trust batch by batch): a generation row locked early would be held while waiting
    for those rows, and a recompute holding one of them and waiting for the row would deadlock."""
    pending: list[bool] = []
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    if pending:
        dashboard_generation_bump()
