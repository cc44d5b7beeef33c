"""Reads of organisations, scoped to what a user may see. Every view reaches a trust through here."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Trust


def user_sees_all_trusts(user) -> bool:
    return user.is_authenticated and user.has_perm("trusts.view_all_trusts")


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
