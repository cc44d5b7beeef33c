"""Programme staff's review of evidence: the queue and one review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from digitrack.pagination import page_of, pagination_params

from ..forms import ReviewForm, ReviewQueueFilterForm
from ..selectors.evidence import evidence_for_user_or_404, review_queue
from ..services.evidence import evidence_review

REVIEW = "milestones.review_evidencesubmission"


@login_required
@permission_required(REVIEW, raise_exception=True)
def review_queue_view(request):
    filters = ReviewQueueFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    queue = review_queue(region=chosen.get("region"), target=chosen.get("target"), trust=chosen.get("trust"))
    page = page_of(queue.submissions, request.GET)
    context = {
        "form": filters,
        "queue": queue,
        "page": page,
        "pagination": pagination_params(page, request.GET),
    }
    return render(request, "milestones/evidence/review_queue.jinja", context)


@login_required
@permission_required(REVIEW, raise_exception=True)
def review(request, pk: int):
    submission = evidence_for_user_or_404(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence_review(
                submission=submission,
                reviewer=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Evidence {submission.pk} from {submission.trust.ods_code} was reviewed.")
            return redirect("milestones:review_queue")
    return render(request, "milestones/evidence/review.jinja", {"submission": submission, "form": form})
