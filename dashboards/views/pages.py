"""The dashboards: national, regional and trust pages and their CSV downloads. Each view loads through
the selectors, checks access, has the presenters build what the page shows, and renders it."""

import csv
import hashlib
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from digitrack.pagination import page_of, pagination_params
from milestones.models import REVIEW_EVIDENCE, SUBMIT_EVIDENCE
from milestones.services.day_statuses import day_statuses_ensure
from trusts.models import VIEW_ALL_TRUSTS, Region
from trusts.selectors import trust_for_user_or_404, trusts_for_user, user_sees_all_trusts

from .. import presenters
from ..cache import (
    DashboardCache,
    cached_body,
    cached_page,
    cached_parts,
    compact,
    content_cached,
    dashboard_cache,
    rendered_part,
    time_ago_text,
)
from ..filters import DashboardFilters, dashboard_filters_from, trust_list_filters_from
from ..presenters.outlook import trust_outlook_body
from ..presenters.sources import (
    dma_averages_body,
    dma_averages_csv_table,
    trust_published_body,
    trust_published_tables,
)
from ..selectors import (
    TargetInfo,
    icb_choices,
    national_dashboard,
    region_dashboard,
    statuses_computed_at,
    submissions_awaiting_review,
    trust_dashboard,
    trust_history,
    trust_lineage,
)
from ..selectors.dspt import (
    DsptCount,
    DsptShare,
    dspt_counts_by_year_and_icb,
    dspt_counts_by_year_and_region,
    dspt_for_trust,
    dspt_shares_meeting_on,
)
from ..selectors.outlook import stage_setup, targets_met_by_month, trust_outlook
from ..selectors.sources import dma_averages, published_for_trust
from ..selectors.todo import current_statuses, evidence_todo
from ..selectors.trust_list import as_row, trust_list, trust_list_choices

TRUST_LIST_PAGE = 50


def _filters(request, cache: DashboardCache, region=None):
    form, filters = dashboard_filters_from(
        request.GET, icbs=icb_choices(region, cache=cache), today=timezone.localdate()
    )
    _ensure_day_statuses(filters, cache)
    return form, filters


def _ensure_day_statuses(filters: DashboardFilters, cache: DashboardCache) -> None:
    """An as-of view reads the statuses on its exact day: have them stored for the inputs they are
    computed from (a recompute since leaves them as they are)."""
    if filters.as_of is not None:
        day_statuses_ensure(as_of=filters.as_of, inputs=cache.inputs)


def _dspt(
    filters: DashboardFilters, targets: list[TargetInfo], region: Region | None = None
) -> tuple[list[DsptCount], list[tuple[str, DsptShare]]]:
    """The published DSPT statuses by year and region (by ICB within a region), and the shares
    meeting the standard at the cyber target's deadline and today (or on the as of date)."""
    if region is None:
        counts = dspt_counts_by_year_and_region(filters)
    else:
        counts = dspt_counts_by_year_and_icb(filters, region_code=region.code)
    days = presenters.dspt_share_days(targets, filters.as_of, timezone.localdate())
    shares = dspt_shares_meeting_on([day for _, day in days], filters, region_code=region.code if region else None)
    return counts, [(label, share) for (label, _), share in zip(days, shares, strict=False)]


def _filter_form_html(name: str, form, action: str, params: dict[str, str]) -> Markup:
    """The filter panel (on every dashboard request, with its long list of ICBs) and the filters
    in force (`params`) as removable tags, rendered once for each set of filters and choices,
    unless it shows errors (a valid form shows exactly its filters)."""
    template = "dashboards/_filter_form.jinja"
    context = {"form": form, "action": action, "active": presenters.active_filters(form, params, action)}
    if form.errors:
        return Markup(rendered_part(template, context))
    query = urlencode(sorted({**params, "sort": form.data.get("sort", "")}.items()))
    # Keyed by all it shows, not by the generation: a review leaves the filters as they were, and
    # the form (with its date input and list of ICBs) is a fifth of a page drawn afresh.
    choices = [(field, list(getattr(form.fields[field], "choices", ()))) for field in form.fields]
    key = hashlib.sha256(repr((action, query, choices)).encode()).hexdigest()
    return Markup(content_cached(f"{name}-filters-html", key, lambda: rendered_part(template, context)))


def _dma_body(cache: DashboardCache, region: Region | None) -> Markup:
    """DMA averages, nationally or for a region: they change only with an import, which bumps
    the cache generation."""
    code = region.code if region else None
    name = f"region-{code}" if region else "national"
    where = f"in {region.name}" if region else "in England"
    return cached_body(
        cache,
        f"{name}-dma",
        "all",
        "dashboards/_dma_averages.jinja",
        lambda: dma_averages_body(dma_averages(region_code=code), where, code),
    )


def _my_trusts(request):
    """A CIO's to-do for each of their trusts. It changes with uploads, which move no status
    (nor the cache generation): so never from a cache, and never kept by a proxy."""
    trusts = trusts_for_user(request.user)
    today = timezone.localdate()
    blocks = presenters.todo_body(
        list(trusts.order_by("name")), evidence_todo(trusts, today=today), current_statuses(trusts), today
    )
    response = render(request, "dashboards/my_trusts.jinja", {"blocks": blocks})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def national(request):
    """Programme staff see the national overview; anyone else a to-do for each of their own trusts."""
    if not user_sees_all_trusts(request.user):
        return _my_trusts(request)
    return _national_overview(request)


@cached_page
def _national_overview(request):
    cache = dashboard_cache()
    form, filters = _filters(request, cache)
    dashboard = national_dashboard(filters, cache=cache)
    parts = cached_parts(
        cache,
        "national",
        filters.cache_key,
        {"cards": "dashboards/_national_cards.jinja", "body": "dashboards/_national_body.jinja"},
        lambda: presenters.national_body(filters, dashboard, *_dspt(filters, dashboard.targets)),
    )
    return render(
        request,
        "dashboards/national.jinja",
        {
            "form": form,  # the page title says "Error:" when it has errors
            "filter_form": _filter_form_html("national", form, reverse("dashboards:national"), filters.params),
            "filters": filters,
            "dashboard": dashboard,
            "cards": parts["cards"],
            "body": parts["body"],
            "dma": _dma_body(cache, None),
            "awaiting_review": submissions_awaiting_review(filters),
            "computed_ago": time_ago_text(request, statuses_computed_at(filters)),
        },
    )


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
@cached_page
def region(request, code: str):
    region = get_object_or_404(Region, code=code.upper())
    cache = dashboard_cache()
    form, filters = _filters(request, cache, region)
    dashboard = region_dashboard(region, filters, cache=cache)
    parts = cached_parts(
        cache,
        f"region-{region.code}",
        filters.cache_key,
        {"cards": "dashboards/_region_cards.jinja", "body": "dashboards/_region_body.jinja"},
        lambda: presenters.region_body(region, filters, dashboard, *_dspt(filters, dashboard.targets, region)),
    )
    action = reverse("dashboards:region", args=[region.code])
    return render(
        request,
        "dashboards/region.jinja",
        {
            "form": form,  # the page title says "Error:" when it has errors
            "filter_form": _filter_form_html(f"region-{region.code}", form, action, filters.params),
            "filters": filters,
            "region": region,
            "dashboard": dashboard,
            "cards": parts["cards"],
            "body": parts["body"],
            "dma": _dma_body(cache, region),
            "computed_ago": time_ago_text(request, statuses_computed_at(filters, region)),
        },
    )


@login_required
@cached_page
def trust(request, code: str):
    trust = trust_for_user_or_404(request.user, code)
    today = timezone.localdate()
    dashboard = trust_dashboard(trust, today=today)
    dspt = dspt_for_trust(trust)
    history = cached_body(
        dashboard_cache(),
        f"trust-{trust.ods_code}",
        "history",
        "dashboards/_trust_history.jinja",
        lambda: presenters.trust_history_body(trust, dashboard, trust_history(trust), dspt),
    )
    outlook = cached_body(
        dashboard_cache(),
        f"trust-{trust.ods_code}",
        f"outlook-{today.isoformat()}",
        "dashboards/outlook/_trust_outlook.jinja",
        lambda: trust_outlook_body(
            stage_setup(), targets_met_by_month(trust=trust), trust_outlook(trust, today=today), trust.pk, today
        ),
    )
    published = cached_body(
        dashboard_cache(),
        f"trust-{trust.ods_code}",
        "published",
        "dashboards/_trust_published.jinja",
        lambda: trust_published_body(trust, published_for_trust(trust)),
    )
    return render(
        request,
        "dashboards/trust.jinja",
        {
            "trust": trust,
            "closed": trust.is_closed_on(today),
            "lineage": trust_lineage(trust, trusts_for_user(request.user)),
            "dashboard": dashboard,
            "history": history,
            "outlook": outlook,
            "published": published,
            "dspt_timeline": presenters.dspt_timeline(dspt),
            "dspt_note": presenters.dspt_requirement_note(dspt.meeting_on(today), dspt),
            "evidence": presenters.recent_evidence(
                dashboard.recent_evidence, may_review=request.user.has_perm(REVIEW_EVIDENCE)
            ),
            "may_upload": request.user.has_perm(SUBMIT_EVIDENCE),
            "computed_ago": time_ago_text(request, dashboard.computed_at),
        },
    )


def _trust_list(request, cache: DashboardCache):
    regions, targets = trust_list_choices()
    form, filters = trust_list_filters_from(
        request.GET, regions=regions, targets=targets, icbs=icb_choices(cache=cache), today=timezone.localdate()
    )
    _ensure_day_statuses(filters.dashboard, cache)
    return form, filters, trust_list(filters)


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
@cached_page
def trust_list_view(request):
    """The trusts behind a dashboard count: region, ICB, sector, target, status and as of, sortable."""
    cache = dashboard_cache()
    form, filters, listed = _trust_list(request, cache)
    page = page_of(listed.rows, request.GET, per_page=TRUST_LIST_PAGE)
    hidden = presenters.constant_columns(filters)
    table = presenters.trust_list_table([as_row(values) for values in page], hidden)
    csv_query = urlencode({**filters.params, **({"sort": filters.sort} if filters.sort != "trust" else {})})
    # Compacted like the dashboards' parts: the table macro's indentation is most of the page.
    html = render_to_string(
        "dashboards/trust_list.jinja",
        {
            "form": form,  # the page title says "Error:" when it has errors
            "filter_form": _filter_form_html("trust-list", form, reverse("dashboards:trust_list"), filters.params),
            "filters": filters,
            "listed": listed,
            "page": page,
            "pagination": pagination_params(page, request.GET),
            "table": {
                **presenters.table_params(table, caption_hidden=True),
                "head": presenters.sort_head(filters, hidden),
            },
            "csv_url": f"{reverse('dashboards:trust_list_csv')}?{csv_query}",
        },
        request=request,
    )
    return HttpResponse(compact(html))


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
def trust_list_csv(request):
    _, _, listed = _trust_list(request, dashboard_cache())
    table = presenters.trust_list_table([as_row(values) for values in listed.rows])
    return _csv_response(table, "trusts", includes_demo=listed.includes_demo)


# Tables from published data or the targets alone: demo evidence never counts in them.
PUBLISHED_ONLY_TABLES = frozenset({"dspt", "dspt-shares", "revisions", "requirement-changes"})
DEMO_CSV_NOTE = (
    f"{presenters.DEMO_TAG['text']}: these figures count generated demo evidence (seed_demo) and are not real."
)


def _csv_response(table: presenters.Table, filename: str, *, includes_demo: bool = False) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    # Headers too: they carry target titles, which admins edit.
    for row in [table.head, *table.rows]:
        writer.writerow([presenters.csv_value(value) for value in row])
    if includes_demo:
        # Last, so the header stays the first row for whoever reads the file by program.
        writer.writerow([DEMO_CSV_NOTE])
    return response


def _table_or_404(tables: dict, name: str) -> presenters.Table:
    if name not in tables:
        raise Http404("No such table.")
    return tables[name]


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
def national_csv(request, table: str):
    if table == "dma":
        return _dma_csv(None)
    cache = dashboard_cache()
    _, filters = _filters(request, cache)
    dashboard = national_dashboard(filters, cache=cache)
    tables = presenters.national_tables(dashboard, *_dspt(filters, dashboard.targets), filters)
    counts_statuses = table not in PUBLISHED_ONLY_TABLES
    return _csv_response(
        _table_or_404(tables, table), f"national-{table}", includes_demo=dashboard.includes_demo and counts_statuses
    )


@login_required
@permission_required(VIEW_ALL_TRUSTS, raise_exception=True)
def region_csv(request, code: str, table: str):
    region = get_object_or_404(Region, code=code.upper())
    if table == "dma":
        return _dma_csv(region)
    cache = dashboard_cache()
    _, filters = _filters(request, cache, region)
    dashboard = region_dashboard(region, filters, cache=cache)
    tables = presenters.region_tables(dashboard, *_dspt(filters, dashboard.targets, region), filters)
    counts_statuses = table not in PUBLISHED_ONLY_TABLES
    return _csv_response(
        _table_or_404(tables, table),
        f"{region.code}-{table}",
        includes_demo=dashboard.includes_demo and counts_statuses,
    )


def _dma_csv(region: Region | None) -> HttpResponse:
    """DMA averages from published data alone (no filters apply, no demo evidence counts)."""
    averages = dma_averages(region_code=region.code if region else None)
    if averages is None:
        raise Http404("No DMA scores imported")
    return _csv_response(dma_averages_csv_table(averages), f"{region.code if region else 'national'}-dma")


@login_required
def trust_csv(request, code: str, table: str):
    trust = trust_for_user_or_404(request.user, code)
    if table in ("published", "dma"):
        tables = trust_published_tables(published_for_trust(trust))
        return _csv_response(_table_or_404(tables, table), f"{trust.ods_code}-{table}")
    tables = presenters.trust_tables(
        trust_dashboard(trust, today=timezone.localdate()), trust_history(trust), dspt_for_trust(trust)
    )
    return _csv_response(_table_or_404(tables, table), f"{trust.ods_code}-{table}")
