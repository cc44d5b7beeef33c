from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """The read side: national, regional and trust pages, the outlook pages and the API. It owns no
    models and writes nothing; milestones and trusts never import it."""

    name = "dashboards"
    verbose_name = "Dashboards"
