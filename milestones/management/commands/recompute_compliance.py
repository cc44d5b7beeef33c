"""manage.py recompute_compliance [--trust CODE] [--target CODE] [--as-of DATE]

Without --as-of it recomputes and stores today's statuses. With --as-of it prints what the
rules give on that date and stores nothing: the stored statuses, their history and the
month-end snapshots are today's record (backfill_compliance_history fills past month ends).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from milestones.models import Target
from milestones.services.compliance import statuses_compute, statuses_recompute, statuses_recompute_all
from trusts.models import Trust

from ._arguments import iso_date


class Command(BaseCommand):
    help = (
        "Recompute and store today's compliance statuses, in this process (every trust and target "
        "unless narrowed); with --as-of, print the statuses on that date and store nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trust", help="ODS code of one trust")
        parser.add_argument("--target", help="code of one target")
        parser.add_argument(
            "--as-of", type=iso_date, help="print the statuses on this date (YYYY-MM-DD) and store nothing"
        )

    def handle(self, *args, trust=None, target=None, as_of=None, **options):
        targets = Target.objects.order_by("code")
        if target:
            targets = targets.filter(code=target)
            if not targets.exists():
                raise CommandError(f"No target with code {target!r}.")
        trusts = Trust.objects.all()
        if trust:
            trusts = trusts.filter(ods_code=trust.upper())
            if not trusts.exists():
                raise CommandError(f"No trust with ODS code {trust!r}.")
        if as_of:
            self._print_as_of(trusts=trusts, targets=targets, as_of=as_of)
            return
        today = timezone.localdate()
        if trust:
            summary = statuses_recompute(trusts=trusts, targets=targets, as_of=today)
        else:
            summary = statuses_recompute_all(as_of=today, targets=targets)
        self.stdout.write(f"Computed {summary.computed} statuses as of {today}; {summary.changed} changed.")

    def _print_as_of(self, *, trusts, targets, as_of: datetime.date) -> None:
        computed = statuses_compute(trusts=trusts, targets=targets, as_of=as_of)
        for row in computed:
            self.stdout.write(
                f"{row.trust.ods_code}\t{row.target.code}\t{row.result.status.value}\t{row.result.reason}"
            )
        self.stdout.write(f"Computed {len(computed)} statuses as of {as_of}; nothing stored (--as-of is a dry run).")
