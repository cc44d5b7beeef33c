from django.urls import path

from trusts import converters  # noqa: F401 (registers the <ods:...> and <region:...> converters)

from .views import api, outlook, pages

app_name = "dashboards"

urlpatterns: list = [
    path("", pages.national, name="national"),
    path("trusts/", pages.trust_list_view, name="trust_list"),
    path("exports/trust-list.csv", pages.trust_list_csv, name="trust_list_csv"),
    path("regions/<region:code>/", pages.region, name="region"),
    path("trusts/<ods:code>/", pages.trust, name="trust"),
    path("exports/national/<slug:table>.csv", pages.national_csv, name="national_csv"),
    path("exports/regions/<region:code>/<slug:table>.csv", pages.region_csv, name="region_csv"),
    path("exports/trusts/<ods:code>/<slug:table>.csv", pages.trust_csv, name="trust_csv"),
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
]
