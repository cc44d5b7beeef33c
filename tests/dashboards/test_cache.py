"""The cache is a speed-up, never a dependency: with Redis unreachable it misses and moves on, and
the dashboards' cache generation lives in PostgreSQL, so no invalidation is lost while Redis is away."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction

from dashboards.cache import DashboardCache, dashboard_cache
from milestones.generation import dashboard_generation_bump
from milestones.models import DashboardGeneration

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="the suite runs with REDIS_URL set (make test)")


def test_reads_are_misses_and_writes_are_skipped_when_redis_is_down(redis_down):
    assert redis_down.set("block", "cached value") is None
    assert redis_down.get("block") is None
    assert redis_down.get("block", "computed from PostgreSQL") == "computed from PostgreSQL"
    assert redis_down.get_many(["a", "b"]) == {}
    redis_down.delete("block")


@pytest.mark.django_db
def test_a_bump_while_redis_is_down_is_kept_in_postgresql(redis_down):
    before = dashboard_cache().generation
    dashboard_generation_bump()
    assert dashboard_cache().generation == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_bump_is_seen_only_once_its_transaction_commits_and_lost_with_a_rollback():
    before = dashboard_cache().generation
    with transaction.atomic():
        dashboard_generation_bump()
    assert dashboard_cache().generation == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():
        dashboard_generation_bump()
        raise RuntimeError("the write failed")
    assert dashboard_cache().generation == before + 1


@pytest.mark.django_db
def test_generation_row_is_written_again_if_missing():
    DashboardGeneration.objects.all().delete()
    assert dashboard_cache().generation == 0
    dashboard_generation_bump()
    assert DashboardGeneration.objects.get().value == 1


@pytest.mark.django_db
def test_a_bump_written_in_sql_naming_only_the_value_works_as_the_dashboards_bench_writes_it():
    DashboardGeneration.objects.all().delete()
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(
                "INSERT INTO milestones_dashboardgeneration (id, value) VALUES (1, 1) "
                "ON CONFLICT (id) DO UPDATE SET value = milestones_dashboardgeneration.value + 1"
            )
    assert dashboard_cache() == DashboardCache(generation=2, inputs=1)


@pytest.mark.django_db
def test_cached_value_is_kept_until_the_generation_moves():
    computed = []

    def compute():
        computed.append(1)
        return f"computed {len(computed)}"

    assert dashboard_cache().get_or_compute("block", "all", compute) == "computed 1"
    assert dashboard_cache().get_or_compute("block", "all", compute) == "computed 1"
    dashboard_generation_bump()
    assert dashboard_cache().get_or_compute("block", "all", compute) == "computed 2"


def test_reads_hit_again_once_redis_answers():
    cache = caches["default"]
    cache.set("block", "cached value")
    assert cache.get("block") == "cached value"
