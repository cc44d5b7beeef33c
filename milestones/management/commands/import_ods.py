"""manage.py import_ods PATH: load the ODS trust register (trusts/services.ods_import) and announce
the changes (milestones/services/register.ods_import_apply)."""

from collections.abc import Iterable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from milestones.services.register import ods_import_apply
from trusts import services
from trusts.models import ICB_NOT_KNOWN


class Command(BaseCommand):
    help = (
        "Load the ODS trust extract (header-less CSV, such as trusts/data/etr.csv) with the shipped "
        "ICBs, ODS successions and trust profiles. Safe to re-run: only changes are written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The ODS trust extract (etr.csv).")
        parser.add_argument(
            "--successors",
            type=Path,
            default=services.SUCCESSORS_FILE,
            help="ODS's successor file (default: the shipped trusts/data/succ.csv).",
        )
        parser.add_argument(
            "--profiles",
            type=Path,
            default=services.PROFILES_FILE,
            help="Sector and exemplar status per trust (default: trusts/data/trust_profiles.csv).",
        )

    def handle(self, *args, path: Path, successors: Path, profiles: Path, **options):
        try:
            summary = ods_import_apply(extract=path, successors=successors, profiles=profiles)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(f"Nothing imported: {error}") from error

        icbs, register = summary.icbs, summary.register
        self.stdout.write(
            f"ICBs: {len(icbs.created)} created, {len(icbs.updated)} updated, {icbs.unchanged} unchanged."
        )
        self.stdout.write(
            f"Trusts from {path}: {len(register.created)} created, {len(register.updated)} updated, "
            f"{register.unchanged} unchanged, {len(register.set_aside)} set aside, "
            f"{len(register.rejected)} rejected."
        )
        if register.updated:
            self.stdout.write(f"  Updated: {', '.join(register.updated)}")
        for row in register.set_aside:
            self.stdout.write(f"  Set aside line {row.line}: {row.ods_code} {row.name} ({row.reason})")
        self._problems(rejected=register.rejected, warnings=register.warnings)
        if register.not_in_file:
            self.stdout.write(f"  In the register but not in this file (kept): {', '.join(register.not_in_file)}")

        succession = summary.successors
        self.stdout.write(
            f"Successors: {len(succession.linked)} linked, {succession.unchanged} unchanged, "
            f"{len(succession.splits)} split, {len(succession.rejected)} rejected."
        )
        for old_code, new_codes in succession.splits.items():
            self.stdout.write(f"  {old_code} was split between {', '.join(new_codes)}")
        self._problems(rejected=succession.rejected, warnings=succession.warnings)

        profiles_summary = summary.profiles
        self.stdout.write(
            f"Trust profiles: {len(profiles_summary.applied)} applied, {profiles_summary.kept} kept as they are, "
            f"{len(profiles_summary.rejected)} rejected."
        )
        self._problems(rejected=profiles_summary.rejected)

        memberships = summary.memberships
        self.stdout.write(
            f"Trusts' ICBs over time: {memberships.created} created, {memberships.updated} updated, "
            f"{memberships.unchanged} unchanged, {memberships.removed} removed, "
            f"{len(memberships.not_known)} periods with no ICB on file."
        )
        for line in memberships.not_known:
            self.stdout.write(f"  {ICB_NOT_KNOWN}: {line}")
        self._problems(rejected=memberships.rejected, warnings=memberships.warnings)

    def _problems(self, *, rejected: Iterable, warnings: Iterable[str] = ()) -> None:
        """The rows a file's import rejected, then its warnings, indented under its summary line."""
        for error in rejected:
            self.stdout.write(self.style.ERROR(f"  Rejected {error}"))
        for warning in warnings:
            self.stdout.write(self.style.WARNING(f"  {warning}"))
