"""/api/statuses.json: current compliance statuses for other NHS tools, scoped like the pages."""

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone

from trusts.selectors import trusts_for_user

from ..filters import API_PAGE_SIZE, StatusApiForm
from ..models import ComplianceStatus

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


def statuses(request):
    """Paginated statuses of the trusts open today (include_closed=true adds the closed ones); a CIO
    gets only their own trusts, anyone signed out a 401."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to use the API."}, status=401)
    form = StatusApiForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": "Invalid query.", "fields": form.errors}, status=400)
    rows = (
        ComplianceStatus.objects.filter(
            form.status_q(today=timezone.localdate()), trust__in=trusts_for_user(request.user).values("id")
        )
        .order_by("trust__ods_code", "target__display_order", "target__code")
        .values_list(*FIELDS.values())
    )
    paginator = Paginator(rows, form.cleaned_data["page_size"] or API_PAGE_SIZE)
    try:
        page = paginator.page(form.cleaned_data["page"] or 1)
    except EmptyPage:
        return JsonResponse({"error": f"There are {paginator.num_pages} pages."}, status=404)
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
            "previous": _page_url(request, page.previous_page_number()) if page.has_previous() else None,
            "results": [dict(zip(FIELDS, row, strict=False)) for row in page.object_list],
        }
    )
