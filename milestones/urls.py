from django.urls import path

from trusts import converters  # noqa: F401 (registers the <ods:...> and <region:...> converters)

from .views import api, dashboard, evidence, outlook, reminders, review

app_name = "milestones"

urlpatterns: list = [
    path("", dashboard.national, name="national"),
    path("trusts/", dashboard.trust_list_view, name="trust_list"),
    path("exports/trust-list.csv", dashboard.trust_list_csv, name="trust_list_csv"),
    path("regions/<region:code>/", dashboard.region, name="region"),
    path("trusts/<ods:code>/", dashboard.trust, name="trust"),
    path("exports/national/<slug:table>.csv", dashboard.national_csv, name="national_csv"),
    path("exports/regions/<region:code>/<slug:table>.csv", dashboard.region_csv, name="region_csv"),
    path("exports/trusts/<ods:code>/<slug:table>.csv", dashboard.trust_csv, name="trust_csv"),
    path("forecasts/", outlook.forecasts, name="forecasts"),
    path("regions/<region:code>/forecasts/", outlook.forecasts, name="region_forecasts"),
    path("exports/forecasts/<slug:table>.csv", outlook.forecasts_csv, name="forecasts_csv"),
    path(
        "exports/regions/<region:code>/forecasts/<slug:table>.csv", outlook.forecasts_csv, name="region_forecasts_csv"
    ),
    path("stages/", outlook.stages, name="stages"),
    path("regions/<region:code>/stages/", outlook.stages, name="region_stages"),
    path("exports/stages/<slug:table>.csv", outlook.stages_csv, name="stages_csv"),
    path("exports/regions/<region:code>/stages/<slug:table>.csv", outlook.stages_csv, name="region_stages_csv"),
    path("contradictions/", outlook.contradictions, name="contradictions"),
    path("regions/<region:code>/contradictions/", outlook.contradictions, name="region_contradictions"),
    path("exports/contradictions/<slug:table>.csv", outlook.contradictions_csv, name="contradictions_csv"),
    path(
        "exports/regions/<region:code>/contradictions/<slug:table>.csv",
        outlook.contradictions_csv,
        name="region_contradictions_csv",
    ),
    path("api/statuses.json", api.statuses, name="api_statuses"),
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
