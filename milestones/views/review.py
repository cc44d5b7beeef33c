"""Programme staff's review of evidence: the queue and one review. A review keeps the queue's
filters and page in its address, and after a decision moves on to the next item they select."""

from urllib.parse import urlencode

from csp.constants import SELF
from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from digitrack.pagination import page_of, pagination_params
from digitrack.tables import table_params

from ..evidence_tables import others_table, pending_counts_tables, queue_table
from ..forms import ReviewForm, ReviewQueueFilterForm
from ..models import REVIEW_EVIDENCE
from ..selectors.evidence import ReviewQueue, evidence_for_user_or_404, other_submissions, review_queue
from ..services.evidence import evidence_review

# What of the queue's query string a review carries, to go back to the same place.
QUEUE_PARAMS = ("region", "target", "trust", "page")


def _queue(query) -> tuple[ReviewQueueFilterForm, ReviewQueue, str]:
    """The filter form, the queue it selects, and its query string (filters and page)."""
    filters = ReviewQueueFilterForm(query)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    queue = review_queue(region=chosen.get("region"), target=chosen.get("target"), trust=chosen.get("trust"))
    kept = urlencode([(name, query[name]) for name in QUEUE_PARAMS if query.get(name)])
    return filters, queue, f"?{kept}" if kept else ""


@login_required
@permission_required(REVIEW_EVIDENCE, raise_exception=True)
def review_queue_view(request):
    filters, queue, query = _queue(request.GET)
    page = page_of(queue.submissions, request.GET)
    counts = {}
    if queue.total_pending:
        counts = pending_counts_tables(filters.fields["region"].queryset, filters.fields["target"].queryset)
    context = {
        "form": filters,
        "queue": queue,
        "page": page,
        "pagination": pagination_params(page, request.GET),
        "table": table_params(queue_table(page, query)),
        "pending_counts": {name: table_params(table) for name, table in counts.items()},
    }
    return render(request, "milestones/evidence/review_queue.jinja", context)


@login_required
@permission_required(REVIEW_EVIDENCE, raise_exception=True)
@csp_update({"frame-src": [SELF]})  # the preview of a PDF, a sandboxed frame of this site
def review(request, pk: int):
    submission = evidence_for_user_or_404(request.user, pk)
    _, queue, query = _queue(request.GET)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reviewed = evidence_review(
                submission=submission,
                reviewer=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            outcome = reviewed.get_state_display()
            messages.success(
                request,
                f"{outcome}: {submission.original_name} from {submission.trust.display_name} ({submission.trust.ods_code}).",
            )
            following = queue.submissions.exclude(pk=submission.pk).first()
            if following is None:
                return redirect(reverse("milestones:review_queue") + query)
            return redirect(reverse("milestones:review", args=[following.pk]) + query)
    context = {
        "submission": submission,
        "form": form,
        "others": table_params(others_table(submission, other_submissions(submission))),
        "query": query,
        "waiting": queue.submissions.count(),
    }
    return render(request, "milestones/evidence/review.jinja", context)
