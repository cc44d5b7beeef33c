from django.apps import AppConfig


class DigitrackConfig(AppConfig):
    """The project's own parts that are no app's: sign-in, sessions, errors, logs, the Jinja2 setup."""

    name = "digitrack"
    verbose_name = "DigiTrack"

    def ready(self) -> None:
        # Connects the sign-in receiver that starts the session clocks, before any sign-in (a
        # test's force_login may come before the first request imports the middleware).
        from . import sessions  # noqa: F401
