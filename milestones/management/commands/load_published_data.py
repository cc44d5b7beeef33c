"""manage.py load_published_data: the trust register and every published file shipped, idempotently."""

import datetime

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# The shipped files, oldest first, with what their contents do not say (milestones/data/README.md):
# the day each DSPT snapshot was taken, and the year of the one status without a year prefix.
PUBLISHED_FILES: list[tuple[str, str, dict]] = [
    ("import_dspt", "milestones/data/dspt/dspt_2020-21.csv", {"as_at": datetime.date(2022, 2, 8)}),
    ("import_dspt", "milestones/data/dspt/dspt_2021-22.csv", {"as_at": datetime.date(2022, 9, 9)}),
    (
        "import_dspt",
        "milestones/data/dspt/dspt_2022-23.csv",
        {"year": "2022-23", "as_at": datetime.date(2023, 11, 16)},
    ),
    ("import_epr", "milestones/data/epr/frontline_digitisation_epr_2023-05-26.csv", {}),
    ("import_epr", "milestones/data/epr/epr_primary_suppliers_2024-10-01.xlsx", {}),
    # After the DSPT and EPR files: their names are what the DMA's provider names are matched by
    # where a trust was renamed after the register's names were taken.
    ("import_dma", "milestones/data/dma/dma_2024-2025_datafile.xlsx", {}),
]


class Command(BaseCommand):
    help = (
        "Load the ODS trust register and every published national data file shipped in milestones/data "
        "(DSPT, Frontline Digitisation EPR status, EPR suppliers, DMA). Safe to re-run: a second run writes nothing."
    )

    def handle(self, *args, **options):
        call_command(
            "import_ods", str(settings.BASE_DIR / "trusts/data/etr.csv"), stdout=self.stdout, stderr=self.stderr
        )
        for command, path, arguments in PUBLISHED_FILES:
            call_command(command, str(settings.BASE_DIR / path), stdout=self.stdout, stderr=self.stderr, **arguments)
