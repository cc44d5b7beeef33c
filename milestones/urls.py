from django.urls import path

from trusts import converters  # noqa: F401 (registers the <ods:...> and <region:...> converters)

from .views import evidence, reminders, review

app_name = "milestones"

urlpatterns: list = [
    path("trusts/<ods:ods_code>/evidence/", evidence.evidence_list, name="evidence_list"),
    path("trusts/<ods:ods_code>/evidence/new/", evidence.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", evidence.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/download/", evidence.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/preview/", evidence.evidence_preview, name="evidence_preview"),
    path("evidence/<int:pk>/withdraw/", evidence.evidence_withdraw_view, name="evidence_withdraw"),
    path("review/", review.review_queue_view, name="review_queue"),
    path("account/reminders/", reminders.reminder_settings, name="reminder_settings"),
    path("review/<int:pk>/", review.review, name="review"),
]
