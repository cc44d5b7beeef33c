"""Forecasts, stages and contradictions between sources, nationally and per region, for programme
staff: each page body is rendered once per cache generation (dashboards.cache.cached_body) from the
selectors and the pure rules, and the whole page is cached like the dashboards (dashboards.cache.cached_page)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from trusts.models import VIEW_ALL_TRUSTS, Region

from ..cache import cached_body, cached_page, dashboard_cache
from ..filters import DashboardFilters
from ..presenters import contradictions as contradiction_tables
from ..presenters import outlook
from ..selectors.common import target_infos
from ..selectors.contradictions import assurance_by_target, trust_contradictions
from ..selectors.outlook import share_history, stage_setup, targets_met_by_month
from ..selectors.provenance import demo_evidence_in_view
from ..views.pages import _csv_response, _table_or_404


def _region_or_none(code: str | None) -> Region | None:
    return get_object_or_404(Region, code=code.upper()) if code else None


def _regions() -> list[Region]:
    return list(Region.objects.only("code", "name"))


def _includes_demo(region: Region | None) -> bool:
    """Whether approved demo evidence counts towards the figures (the page then says so)."""
    return demo_evidence_in_view(DashboardFilters(), today=timezone.localdate(), region=region)


def _scope(region: Region | None) -> str:
    return region.code if region else "national"


def _outlook_page(request, region: Region | None, name: str, key: str, context) -> HttpResponse:
    """An outlook page (national or a region's): its body rendered once per cache generation and
    `key` from context() with the region and whether demo evidence counts, in the page with the
    links to every region's."""
    body = cached_body(
        dashboard_cache(),
        f"{name}-{_scope(region)}",
        key,
        f"dashboards/outlook/_{name}_body.jinja",
        lambda: {**context(), "region": region, "includes_demo": _includes_demo(region)},
    )
    return render(request, f"dashboards/outlook/{name}.jinja", {"region": region, "regions": _regions(), "body": body})


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
@cached_page
def forecasts(request, code: str | None = None):
    region = _region_or_none(code)
    return _outlook_page(
        request,
        region,
        "forecasts",
        "all",
        lambda: {
            "blocks": outlook.forecast_blocks(target_infos(), share_history(region), f"forecast-{_scope(region)}")
        },
    )


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
def forecasts_csv(request, table: str, code: str | None = None):
    region = _region_or_none(code)
    blocks = outlook.forecast_blocks(target_infos(), share_history(region), "csv")
    tables = {block.backtest_table.name: block.backtest_table for block in blocks}
    return _csv_response(_table_or_404(tables, table), f"{_scope(region)}-{table}")


def _stages_body(region: Region | None) -> dict:
    return outlook.stages_body(stage_setup(), targets_met_by_month(region), _scope(region))


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
@cached_page
def stages(request, code: str | None = None):
    region = _region_or_none(code)
    return _outlook_page(
        request,
        region,
        "stages",
        "all",
        lambda: _stages_body(region),
    )


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
def stages_csv(request, table: str, code: str | None = None):
    region = _region_or_none(code)
    tables = outlook.stage_tables(_stages_body(region))
    return _csv_response(_table_or_404(tables, table), f"{_scope(region)}-{table}")


def _contradiction_tables(region: Region | None, found: list | None = None) -> dict:
    found = trust_contradictions(region) if found is None else found
    tables = [
        contradiction_tables.contradictions_table(found),
        contradiction_tables.by_region_table(found),
        contradiction_tables.assurance_table(assurance_by_target(region, today=timezone.localdate())),
    ]
    return {table.name: table for table in tables}


def _contradictions_body(region: Region | None) -> dict:
    found = trust_contradictions(region)
    return {
        "tables": _contradiction_tables(region, found),
        "listed": contradiction_tables.contradictions_page_table(found, with_region=region is None),
    }


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
@cached_page
def contradictions(request, code: str | None = None):
    """Where published sources disagree about a trust, for programme staff to ask it; and what each
    target's "met" rests on."""
    region = _region_or_none(code)
    # Keyed by the day too: what a trust's evidence assures lapses with time, not only with writes.
    return _outlook_page(
        request, region, "contradictions", timezone.localdate().isoformat(), lambda: _contradictions_body(region)
    )


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
def contradictions_csv(request, table: str, code: str | None = None):
    region = _region_or_none(code)
    return _csv_response(_table_or_404(_contradiction_tables(region), table), f"{_scope(region)}-{table}")
