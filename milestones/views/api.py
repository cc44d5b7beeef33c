"""/api/statuses.json: current compliance statuses for other NHS tools, scoped like the pages."""

import math

from django.db.models import Count, Window
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone

from trusts.selectors import trusts_for_user

from ..filters import API_PAGE_SIZE, StatusApiForm
from ..models import ComplianceStatus
from .cached import cached_page

FIELDS = {
    "trust": "trust__ods_code",
    "trust_name": "trust__name",
    "region": "trust__region__code",
    "icb": "trust__icb__code",
    "sector": "trust__sector",
    "exemplar_status": "trust__exemplar_status",
    "target": "target__code",
    "status": "status",
    "reason": "reason",
    "requirements_met": "requirements_met",
    "requirements_total": "requirements_total",
    "met_on": "met_on",
    "computed_at": "computed_at",
    "changed_at": "changed_at",
}


def _page_url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{reverse('milestones:api_statuses')}?{query.urlencode()}")


@cached_page
def statuses(request):
    """Paginated statuses of the trusts open today (include_closed=true adds the closed ones); a CIO
    gets only their own trusts, anyone signed out a 401."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to use the API."}, status=401)
    form = StatusApiForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": "Invalid query.", "fields": form.errors}, status=400)
    statuses = ComplianceStatus.objects.filter(
        form.status_q(today=timezone.localdate()), trust__in=trusts_for_user(request.user).values("id")
    )
    size, number = form.cleaned_data["page_size"] or API_PAGE_SIZE, form.cleaned_data["page"] or 1
    # One query for the page and the count: every row carries the total (a window over all rows).
    rows = list(
        statuses.order_by("trust__ods_code", "target__display_order", "target__code")
        .annotate(total=Window(Count("pk")))
        .values_list(*FIELDS.values(), "total")[(number - 1) * size : number * size]
    )
    count = rows[0][-1] if rows else statuses.count()
    pages = max(1, math.ceil(count / size))
    if number > pages:
        return JsonResponse({"error": f"There are {pages} pages."}, status=404)
    return JsonResponse(
        {
            "count": count,
            "page": number,
            "pages": pages,
            "next": _page_url(request, number + 1) if number < pages else None,
            "previous": _page_url(request, number - 1) if number > 1 else None,
            "results": [dict(zip(FIELDS, row[:-1], strict=True)) for row in rows],
        }
    )
