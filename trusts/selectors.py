"""Reads of organisations, scoped to what a user may see. Every view reaches a trust through here."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from digitrack.dates import long_date

from .importers.icbs import ICBS_ESTABLISHED_ON
from .models import ICB_NOT_KNOWN, VIEW_ALL_TRUSTS, IntegratedCareBoard, Trust, TrustIcbMembership


def user_sees_all_trusts(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_ALL_TRUSTS)


def trusts_for_user(user) -> QuerySet[Trust]:
    """Every trust for programme staff and admins; a CIO's linked trusts; nothing for anyone else."""
    trusts = Trust.objects.select_related("region", "icb")
    if user_sees_all_trusts(user):
        return trusts
    if not user.is_authenticated:
        return trusts.none()
    return trusts.filter(cio_users=user)


def trust_for_user_or_404(user, ods_code: str) -> Trust:
    """The trust with this code if the user may see it; 404 otherwise, so codes cannot be probed."""
    try:
        return trusts_for_user(user).get(ods_code=ods_code.upper())
    except Trust.DoesNotExist:
        raise Http404("No such trust.") from None


@dataclass(frozen=True)
class IcbOnDay:
    """A trust's ICB on a day: code and name, or no code with the reason (before ICBs existed, or
    not on file) in `name`; `source` says where the answer comes from."""

    code: str
    name: str
    source: str


def trust_icbs_on(day: datetime.date, trusts: QuerySet[Trust]) -> dict[int, IcbOnDay]:
    """Each of `trusts`' ICB in force on `day` (trust id to IcbOnDay), in two queries: the ICB its
    membership then names (the 42 ICBs up to 31 March 2026, the 36 since), never a guess."""
    if day < ICBS_ESTABLISHED_ON:
        established = long_date(ICBS_ESTABLISHED_ON)
        return {
            pk: IcbOnDay("", "No ICB yet", f"ICBs were established on {established}")
            for pk in trusts.values_list("pk", flat=True)
        }
    memberships = (
        TrustIcbMembership.objects.filter(trust__in=trusts, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("icb")
    )
    found = {
        membership.trust_id: IcbOnDay(membership.icb.code, membership.icb.display_name, membership.source)
        if membership.icb_id
        else IcbOnDay("", ICB_NOT_KNOWN, membership.source)
        for membership in memberships
    }
    not_open = IcbOnDay("", "Not open then", "the trust was not open on this day")
    not_known = IcbOnDay("", ICB_NOT_KNOWN, "no ICB on file for this trust on this day")
    return {
        trust.pk: found.get(trust.pk) or (not_known if trust.is_open_on(day) else not_open)
        for trust in trusts.only("pk", "opened_on", "closed_on")
    }


def in_icb_on_q(icb_code: str, day: datetime.date, prefix: str = "") -> Q:
    """Trusts (reached through `prefix`, such as "trust__") that were in this ICB on `day`."""
    memberships = TrustIcbMembership.objects.filter(icb__code=icb_code, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    return Q(**{f"{prefix}pk__in": memberships.values("trust_id")})


def icb_name_on(day: datetime.date, trust_ref: str = "trust_id") -> Subquery:
    """The name of the ICB a trust was in on `day`, as a subquery for annotating rows that reach the
    trust through `trust_ref` (empty where none is on file)."""
    memberships = TrustIcbMembership.objects.filter(trust=OuterRef(trust_ref), valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    return Subquery(memberships.values("icb__name")[:1])


def icbs_in_force_on(day: datetime.date) -> QuerySet[IntegratedCareBoard]:
    """The ICBs in force on `day` (none before 1 July 2022)."""
    return IntegratedCareBoard.objects.filter(opened_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=day)
    )
