"""manage.py seed_demo: demo users and evidence on the real trusts, for trying DigiTrack locally."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from milestones.services.demo import DEFAULT_SEED, DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = (
        "Add demo users (demo-*) and a generated, reproducible evidence history (summaries '[Demo] ...') "
        "on top of the real trusts. Skips if demo users exist. Local use only: refuses with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed (default %(default)s).")

    def handle(self, *args, seed: int, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo is for local use only and refuses to run with DEBUG off.")
        try:
            summary = demo_seed(seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not summary.created:
            self.stdout.write(
                f"Demo data already exists: nothing added. Demo users sign in with password {DEMO_PASSWORD} "
                "(unless changed)."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"Demo data added (seed {seed}). Users, password {summary.password}:"))
        for username, role in summary.users:
            self.stdout.write(f"  {username:<24} {role}")
        counts = ", ".join(f"{count} {state}" for state, count in sorted(summary.submissions.items()))
        self.stdout.write(f"Demo evidence submissions: {sum(summary.submissions.values())} ({counts}).")
        self.stdout.write("This password is for local use only; demo data is labelled demo everywhere.")
