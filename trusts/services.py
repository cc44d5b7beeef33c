"""Writes of organisations: the ODS register, ICBs, successions and trust profiles.

Each `*_apply` takes parsed rows (trusts/importers) and writes only what differs,
so a second run over the same files writes nothing. Nothing is ever deleted: a trust
or ICB that closes keeps its row with its close date.

These are plain writes that return what changed: trusts imports nothing from milestones, and
milestones.services.register announces the changes (recomputes, stale dashboards).
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .importers.icbs import IcbRow, MembershipRow, derive_icb_memberships, parse_icbs, parse_trust_icbs_2023
from .importers.register import (
    ProfileRow,
    SetAside,
    SuccessionRow,
    TrustRow,
    parse_profiles,
    parse_register,
    parse_successors,
)
from .importers.rows import RowError
from .models import ExemplarStatus, IntegratedCareBoard, Region, Sector, Trust, TrustIcbMembership

DATA_DIR = Path(__file__).resolve().parent / "data"
ICBS_CURRENT_FILE = DATA_DIR / "icbs_2026.csv"
ICBS_FORMER_FILE = DATA_DIR / "icbs_2022-2026.csv"
SUCCESSORS_FILE = DATA_DIR / "succ.csv"
PROFILES_FILE = DATA_DIR / "trust_profiles.csv"
TRUST_TYPES_FILE = DATA_DIR / "trust_types_2023.csv"

# Changes of these fields can change a trust's compliance: they request a recompute.
COMPLIANCE_FIELDS = frozenset({"sector", "opened_on", "closed_on"})


@dataclass
class ApplySummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass
class RegisterSummary(ApplySummary):
    set_aside: list[SetAside] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)
    # New trusts and trusts whose open or close date changed: their compliance may change.
    to_recompute: list[str] = field(default_factory=list)


@dataclass
class SuccessorSummary:
    linked: list[str] = field(default_factory=list)
    unchanged: int = 0
    # Trusts split between several successors (all of them linked).
    splits: dict[str, list[str]] = field(default_factory=dict)
    rejected: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.linked)


@dataclass
class ProfileSummary:
    applied: list[str] = field(default_factory=list)
    kept: int = 0
    rejected: list[RowError] = field(default_factory=list)
    to_recompute: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.applied)


@dataclass
class MembershipSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    # Trust and period where no file says which ICB it was in, with why.
    not_known: list[str] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


@dataclass
class ImportSummary:
    icbs: ApplySummary
    register: RegisterSummary
    successors: SuccessorSummary
    profiles: ProfileSummary
    memberships: MembershipSummary

    @property
    def changed(self) -> bool:
        """Whether anything the pages show was written."""
        parts = (self.icbs, self.register, self.successors, self.profiles, self.memberships)
        return any(part.changed for part in parts)

    @property
    def to_recompute(self) -> list[str]:
        """The trusts whose compliance may have changed (new, or a date or sector changed)."""
        return self.register.to_recompute + self.profiles.to_recompute


def _apply_fields(instance, values: dict) -> list[str]:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return changed


def region_codes_by_name() -> dict[str, str]:
    return dict(Region.objects.values_list("name", "code"))


@transaction.atomic
def icbs_apply(*, rows: list[IcbRow]) -> ApplySummary:
    """Create or update ICBs, then set each closed one's successors."""
    summary = ApplySummary()
    regions = {region.code: region for region in Region.objects.all()}
    existing = {icb.code: icb for icb in IntegratedCareBoard.objects.select_related("region")}
    for row in rows:
        values = {
            "name": row.name,
            "region": regions[row.region_code],
            "ons_code": row.ons_code,
            "opened_on": row.opened_on,
            "closed_on": row.closed_on,
        }
        icb = existing.get(row.code)
        if icb is None:
            existing[row.code] = IntegratedCareBoard.objects.create(code=row.code, **values)
            summary.created.append(row.code)
        elif changed := _apply_fields(icb, values):
            icb.save(update_fields=changed)
            summary.updated.append(row.code)
        else:
            summary.unchanged += 1
    for row in rows:
        icb = existing[row.code]
        wanted = {existing[code].pk for code in row.successor_codes if code in existing}
        if set(icb.successors.values_list("pk", flat=True)) != wanted:
            icb.successors.set(wanted)
            if row.code not in summary.created and row.code not in summary.updated:
                summary.updated.append(row.code)
                summary.unchanged -= 1
    return summary


@transaction.atomic
def register_apply(
    *, rows: list[TrustRow], set_aside: list[SetAside] = (), rejected: list[RowError] = ()
) -> RegisterSummary:
    """Create new trusts and update changed ones (name, region, ICB, postcode, dates).

    Sector, exemplar status, successor and CIO links are not in the ODS file and are
    left as they are. Set-aside and rejected rows are only carried into the summary.
    The trusts whose compliance may change are listed in `to_recompute` for the caller.
    """
    summary = RegisterSummary(set_aside=list(set_aside), rejected=list(rejected))
    regions = {region.code: region for region in Region.objects.all()}
    icbs = {icb.code: icb for icb in IntegratedCareBoard.objects.all()}
    existing = {trust.ods_code: trust for trust in Trust.objects.select_related("region", "icb")}
    for row in rows:
        icb = icbs.get(row.icb_code)
        if row.icb_code and icb is None:
            summary.warnings.append(f"line {row.line} ({row.ods_code}): unknown ICB {row.icb_code}, loaded without ICB")
        values = {
            "name": row.name,
            "region": regions[row.region_code],
            "icb": icb,
            "postcode": row.postcode,
            "opened_on": row.opened_on,
            "closed_on": row.closed_on,
        }
        trust = existing.get(row.ods_code)
        if trust is None:
            trust = Trust.objects.create(ods_code=row.ods_code, **values)
            summary.created.append(row.ods_code)
            summary.to_recompute.append(row.ods_code)
        elif changed := _apply_fields(trust, values):
            trust.save(update_fields=changed)
            summary.updated.append(row.ods_code)
            if COMPLIANCE_FIELDS & set(changed):
                summary.to_recompute.append(row.ods_code)
        else:
            summary.unchanged += 1
    in_file = {row.ods_code for row in rows} | {row.ods_code for row in set_aside}
    summary.not_in_file = sorted(set(existing) - in_file)
    return summary


@transaction.atomic
def successors_apply(*, rows: list[SuccessionRow]) -> SuccessorSummary:
    """Link each closed trust to the trusts that succeeded it: one after a merger, several after
    a split (reported as such). A succession of a trust still open is reported and not applied.
    """
    summary = SuccessorSummary()
    trusts = {trust.ods_code: trust for trust in Trust.objects.prefetch_related("successors")}
    by_old: dict[str, list[SuccessionRow]] = {}
    for row in rows:
        by_old.setdefault(row.old_code, []).append(row)
    for old_code, successions in sorted(by_old.items()):
        trust = trusts[old_code]
        if trust.closed_on is None:
            summary.warnings.append(f"{old_code} has a successor on line {successions[0].line} but is open: not linked")
            continue
        new_codes = sorted({row.new_code for row in successions})
        if len(new_codes) > 1:
            summary.splits[old_code] = new_codes
        if sorted(successor.ods_code for successor in trust.successors.all()) == new_codes:
            summary.unchanged += 1
        else:
            trust.successors.set([trusts[code] for code in new_codes])
            summary.linked.append(f"{old_code} -> {', '.join(new_codes)}")
    return summary


@transaction.atomic
def profiles_apply(*, rows: list[ProfileRow]) -> ProfileSummary:
    """Fill each trust's sector and exemplar status from the profile file.

    The file fills, never overwrites: a sector is set only while the trust is
    unclassified and an exemplar status only while it is none, so an admin's
    correction survives the next import. Trusts given a sector are listed in `to_recompute`.
    """
    summary = ProfileSummary()
    trusts = {trust.ods_code: trust for trust in Trust.objects.all()}
    for row in rows:
        trust = trusts.get(row.ods_code)
        if trust is None:
            summary.rejected.append(RowError(row.line, row.ods_code, "trust_profiles.csv: not a trust of the register"))
            continue
        changed: list[str] = []
        if trust.sector == Sector.UNCLASSIFIED and row.sector != Sector.UNCLASSIFIED:
            trust.sector = row.sector
            changed.append("sector")
        if trust.exemplar_status == ExemplarStatus.NONE and row.exemplar_status != ExemplarStatus.NONE:
            trust.exemplar_status = row.exemplar_status
            changed.append("exemplar_status")
        if changed:
            trust.save(update_fields=changed)
            summary.applied.append(row.ods_code)
            if "sector" in changed:
                summary.to_recompute.append(row.ods_code)
        else:
            summary.kept += 1
    return summary


@transaction.atomic
def icb_memberships_apply(*, rows: list[MembershipRow]) -> MembershipSummary:
    """Store each trust's ICB over time as derived (trusts.importers.icbs.derive_icb_memberships): rows are
    matched on trust and start, changed ones updated, and rows no longer derived removed (they
    are derived from the files, not a record anyone made)."""
    summary = MembershipSummary()
    trusts = dict(Trust.objects.values_list("ods_code", "pk"))
    icbs = dict(IntegratedCareBoard.objects.values_list("code", "pk"))
    existing = {(m.trust_id, m.valid_from): m for m in TrustIcbMembership.objects.all()}
    kept = set()
    for row in rows:
        if row.ods_code not in trusts:
            continue
        key = (trusts[row.ods_code], row.valid_from)
        kept.add(key)
        values = {"icb_id": icbs.get(row.icb_code), "valid_to": row.valid_to, "source": row.source}
        if not row.icb_code:
            summary.not_known.append(f"{row.ods_code} from {row.valid_from}: {row.source}")
        membership = existing.get(key)
        if membership is None:
            TrustIcbMembership.objects.create(trust_id=key[0], valid_from=row.valid_from, **values)
            summary.created += 1
        elif changed := _apply_fields(membership, values):
            membership.save(update_fields=changed)
            summary.updated += 1
        else:
            summary.unchanged += 1
    stale = [membership.pk for key, membership in existing.items() if key not in kept]
    summary.removed = TrustIcbMembership.objects.filter(pk__in=stale).delete()[0]
    return summary


def _read(path: Path):
    return path.open(newline="", encoding="utf-8")


@transaction.atomic
def ods_import(
    *,
    extract: Path,
    successors: Path = SUCCESSORS_FILE,
    icbs_current: Path = ICBS_CURRENT_FILE,
    icbs_former: Path = ICBS_FORMER_FILE,
    profiles: Path = PROFILES_FILE,
    trust_types: Path = TRUST_TYPES_FILE,
) -> ImportSummary:
    """Load the complete register in one transaction: ICBs from the shipped files, the
    ODS trust extract, successions between its trusts, the trust profiles, then each trust's
    ICB over time (the 2022-2026 ones from the June 2023 trust list and the successions).

    Bad rows are reported and skipped; a file that cannot be read at all raises
    (OSError, ValueError) and nothing is written.
    """
    with _read(icbs_current) as current, _read(icbs_former) as former:
        icb_parse = parse_icbs(current, former, region_codes_by_name=region_codes_by_name())
    if icb_parse.errors:
        raise ValueError("The shipped ICB files have errors: " + "; ".join(map(str, icb_parse.errors)))
    icb_summary = icbs_apply(rows=icb_parse.rows)

    with _read(extract) as lines:
        register = parse_register(lines, region_codes=set(Region.objects.values_list("code", flat=True)))
    register_summary = register_apply(rows=register.rows, set_aside=register.set_aside, rejected=register.errors)

    codes = set(Trust.objects.values_list("ods_code", flat=True))
    with _read(successors) as lines:
        succession = parse_successors(lines, codes=codes)
    successor_summary = successors_apply(rows=succession.rows)
    successor_summary.rejected = succession.errors

    with _read(profiles) as lines:
        profile_parse = parse_profiles(lines)
    profile_summary = profiles_apply(rows=profile_parse.rows)
    profile_summary.rejected = profile_parse.errors + profile_summary.rejected

    with _read(trust_types) as lines:
        listed_2023 = parse_trust_icbs_2023(lines, icb_codes_by_name=icb_parse.codes_by_2023_name)
    derivation = derive_icb_memberships(
        trusts=register.rows,
        icbs=icb_parse.rows,
        icb_by_trust_2023=listed_2023.icb_by_trust,
        successions=succession.rows,
    )
    membership_summary = icb_memberships_apply(rows=derivation.rows)
    membership_summary.rejected = listed_2023.errors
    membership_summary.warnings = derivation.warnings

    return ImportSummary(
        icbs=icb_summary,
        register=register_summary,
        successors=successor_summary,
        profiles=profile_summary,
        memberships=membership_summary,
    )


def trust_save(*, trust: Trust) -> Trust:
    """Validate and save an edit of a trust (milestones.services.register.trust_update announces it)."""
    trust.full_clean()
    trust.save()
    return trust


@transaction.atomic
def user_cio_trusts_set(*, user, trusts: list[Trust]) -> None:
    """Make `user` CIO of exactly `trusts`. Links change through Trust.cio_users, so each one is
    in the audit log on its trust, as when the trust's own page changes them."""
    wanted = set(trusts)
    current = set(user.cio_trusts.all())
    for trust in current - wanted:
        trust.cio_users.remove(user)
    for trust in wanted - current:
        trust.cio_users.add(user)


@transaction.atomic
def users_deactivate(*, users) -> int:
    """End these users' sign-ins while keeping their accounts, so the audit log still names them.
    Saved one by one, so each change is in the audit log."""
    count = 0
    for user in users.filter(is_active=True):
        user.is_active = False
        user.save(update_fields=["is_active"])
        count += 1
    return count
