"""A trust's evidence: history, upload, detail, download and withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from digitrack.pagination import page_of, pagination_params
from digitrack.tables import table_params
from trusts.selectors import trust_for_user_or_404

from ..audit import evidence_download_record
from ..evidence_tables import history_table, upload_table
from ..forms import EvidenceUploadForm
from ..models import REVIEW_EVIDENCE, SUBMIT_EVIDENCE
from ..selectors.evidence import evidence_for_trust, evidence_for_user_or_404, requirements_for_trust
from ..services.evidence import evidence_submit, evidence_withdraw
from ..upload_handlers import EvidenceUploadHandler


@login_required
def evidence_list(request, ods_code: str):
    trust = trust_for_user_or_404(request.user, ods_code)
    page = page_of(evidence_for_trust(trust), request.GET)
    may_submit, may_review = request.user.has_perm(SUBMIT_EVIDENCE), request.user.has_perm(REVIEW_EVIDENCE)
    context = {
        "trust": trust,
        "page": page,
        "pagination": pagination_params(page, request.GET),
        "may_submit": may_submit,
        "uploads": table_params(upload_table(trust.ods_code, requirements_for_trust(trust))) if may_submit else None,
        "history": table_params(history_table(page, may_submit=may_submit, may_review=may_review)),
    }
    return render(request, "milestones/evidence/list.jinja", context)


@login_required
@permission_required(SUBMIT_EVIDENCE, raise_exception=True)
@csrf_exempt
def evidence_upload(request, ods_code: str):
    # The handler must be in place before anything reads the body, and checking the CSRF token
    # reads it: so the check is made inside, by _evidence_upload (as Django's documentation does).
    request.upload_handlers = [EvidenceUploadHandler(request)]
    return _evidence_upload(request, ods_code)


@csrf_protect
def _evidence_upload(request, ods_code: str):
    trust = trust_for_user_or_404(request.user, ods_code)
    requirements = requirements_for_trust(trust)
    initial = {"requirement": request.GET.get("requirement")}
    form = EvidenceUploadForm(request.POST or None, request.FILES or None, requirements=requirements, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            submission = evidence_submit(
                trust=trust,
                requirement=form.cleaned_data["requirement"],
                upload=form.cleaned_data["file"],
                summary=form.cleaned_data["summary"],
                valid_until=form.cleaned_data["valid_until"],
                submitted_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{submission.original_name} was uploaded and is pending review.")
            return redirect("milestones:evidence_list", ods_code=trust.ods_code)
    return render(request, "milestones/evidence/upload.jinja", {"trust": trust, "form": form})


@login_required
def evidence_detail(request, pk: int):
    submission = evidence_for_user_or_404(request.user, pk)
    context = {
        "submission": submission,
        "may_withdraw": request.user.has_perm(SUBMIT_EVIDENCE),
        "may_review": request.user.has_perm(REVIEW_EVIDENCE),
    }
    return render(request, "milestones/evidence/detail.jinja", context)


@login_required
def evidence_download(request, pk: int):
    submission = evidence_for_user_or_404(request.user, pk)
    evidence_download_record(submission=submission, request=request)
    response = FileResponse(
        submission.file.open("rb"),
        as_attachment=True,
        filename=submission.original_name,
        content_type=submission.content_type,
    )
    # Never rendered by the browser, never cached by a shared proxy.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# Evidence types a browser shows by itself, and how the review page previews them.
PREVIEWS = {"application/pdf": "pdf", "image/png": "image", "image/jpeg": "image"}


@login_required
@xframe_options_sameorigin  # shown in a frame of the review page, and of no other site
def evidence_preview(request, pk: int):
    """A PDF or image shown inline on the review page, in a sandbox: no script, no other content,
    never sniffed as anything else. Everything else is only ever downloaded."""
    submission = evidence_for_user_or_404(request.user, pk)
    if submission.content_type not in PREVIEWS:
        raise Http404("This evidence cannot be previewed.")
    evidence_download_record(submission=submission, request=request, event="evidence_preview")
    response = FileResponse(submission.file.open("rb"), content_type=submission.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'; sandbox"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(SUBMIT_EVIDENCE, raise_exception=True)
def evidence_withdraw_view(request, pk: int):
    """Asks to confirm (GET), then withdraws (POST)."""
    submission = evidence_for_user_or_404(request.user, pk)
    if request.method == "GET":
        return render(request, "milestones/evidence/withdraw.jinja", {"submission": submission})
    try:
        evidence_withdraw(submission=submission)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{submission.original_name} was withdrawn. You can upload a new file.")
    return redirect("milestones:evidence_list", ods_code=submission.trust.ods_code)
