"""/api/statuses.json: compliance statuses for analysts and other NHS tools, scoped like the pages:
today's as stored, or any past day's as the rules give it (`as_of`), each with its requirements."""

import math

from django.db.models import Count, Window
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone

from milestones.models import ComplianceStatus, Target
from milestones.services.compliance import statuses_compute
from trusts.models import Trust
from trusts.selectors import trusts_for_user

from ..cache import cached_page
from ..filters import API_PAGE_SIZE, StatusApiForm
from ..selectors.api import requirement_rows, statuses_as_of

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
    "met_by_deadline": "met_by_deadline",
    "data_as_at": "data_as_at",
    "computed_at": "computed_at",
    "changed_at": "changed_at",
}
TRUST_FIELDS = {name: path.removeprefix("trust__") for name, path in FIELDS.items() if path.startswith("trust__")}


def _page_url(request, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{reverse('dashboards:api_statuses')}?{query.urlencode()}")


@cached_page
def statuses(request):
    """Paginated statuses of the trusts open today, or on `as_of` (include_closed=true adds the
    closed ones); a CIO gets only their own trusts, anyone signed out a 401."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Sign in to use the API."}, status=401)
    today = timezone.localdate()
    form = StatusApiForm(request.GET, today=today)
    if not form.is_valid():
        return JsonResponse({"error": "Invalid query.", "fields": form.errors}, status=400)
    size, number = form.cleaned_data["page_size"] or API_PAGE_SIZE, form.cleaned_data["page"] or 1
    if form.cleaned_data["as_of"]:
        count, results = _computed_page(request, form, today, size, number)
    else:
        count, results = _stored_page(request, form, today, size, number)
    pages = max(1, math.ceil(count / size))
    if number > pages:
        return JsonResponse({"error": f"There are {pages} pages."}, status=404)
    return JsonResponse(
        {
            "count": count,
            "page": number,
            "pages": pages,
            "as_of": (form.cleaned_data["as_of"] or today).isoformat(),
            "next": _page_url(request, number + 1) if number < pages else None,
            "previous": _page_url(request, number - 1) if number > 1 else None,
            "results": results,
        }
    )


def _stored_page(request, form: StatusApiForm, today, size: int, number: int) -> tuple[int, list[dict]]:
    """Today's stored statuses, with their requirements as the rules give them today."""
    statuses = ComplianceStatus.objects.filter(
        form.status_q(today=today), trust__in=trusts_for_user(request.user).values("id")
    )
    # One query for the page and the count: every row carries the total (a window over all rows).
    rows = list(
        statuses.order_by("trust__ods_code", "target__display_order", "target__code")
        .annotate(total=Window(Count("pk")))
        .values_list(*FIELDS.values(), "trust_id", "target_id", "total")[(number - 1) * size : number * size]
    )
    count = rows[0][-1] if rows else statuses.count()
    computed = statuses_compute(
        trusts=Trust.objects.filter(pk__in={row[-3] for row in rows}),
        targets=Target.objects.filter(pk__in={row[-2] for row in rows}),
        as_of=today,
    )
    requirements = requirement_rows(computed)
    results = [
        {**dict(zip(FIELDS, row[:-3], strict=True)), "requirements": requirements.get((row[-3], row[-2]), [])}
        for row in rows
    ]
    return count, results


def _computed_page(request, form: StatusApiForm, today, size: int, number: int) -> tuple[int, list[dict]]:
    """The statuses the rules give on the as of day: nothing stored is read or written."""
    data = form.cleaned_data
    trusts = Trust.objects.filter(form.trust_q(today=today), pk__in=trusts_for_user(request.user).values("id"))
    targets = Target.objects.filter(code=data["target"]) if data["target"] else Target.objects.all()
    computed = statuses_as_of(trusts=trusts, targets=targets, as_of=data["as_of"], status=data["status"])
    page = computed[(number - 1) * size : number * size]
    about = {
        row["pk"]: row
        for row in Trust.objects.filter(pk__in={item.trust.pk for item in page}).values("pk", *TRUST_FIELDS.values())
    }
    requirements = requirement_rows(page)
    results = []
    for item in page:
        trust, result = about[item.trust.pk], item.result
        results.append(
            {
                **{name: trust[path] for name, path in TRUST_FIELDS.items()},
                "target": item.target.code,
                "status": str(result.status),
                "reason": result.reason,
                "requirements_met": result.requirements_met,
                "requirements_total": result.requirements_total,
                "met_on": result.met_on,
                "met_by_deadline": result.met_by_deadline,
                "data_as_at": result.data_as_at,
                "requirements": requirements[(item.trust.pk, item.target.pk)],
            }
        )
    return len(computed), results
