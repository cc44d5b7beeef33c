"""Writes of the trust register as milestones sees them: trusts' plain writes (trusts.services),
then one announcement of what changed (recomputes, stale dashboards). trusts imports nothing
from milestones, so its writes are called from here rather than reacting themselves."""

from pathlib import Path

from django.db import transaction

from trusts import services as trust_services
from trusts.models import Trust

from ..models import Target
from .recompute import inputs_changed


@transaction.atomic
def ods_import_apply(
    *,
    extract: Path,
    successors: Path = trust_services.SUCCESSORS_FILE,
    profiles: Path = trust_services.PROFILES_FILE,
) -> trust_services.ImportSummary:
    """Load the ODS register (trusts.services.ods_import) and announce what changed, in one transaction."""
    summary = trust_services.ods_import(extract=extract, successors=successors, profiles=profiles)
    if summary.changed:
        # An import changes many trusts at once (all of them on a first load): one recompute of each
        # target covers every trust in a few batches, where one per trust would be hundreds of tasks.
        inputs_changed(
            targets=Target.objects.all() if summary.to_recompute else (),
            reason="trusts added or changed by the ODS import",
        )
    return summary


@transaction.atomic
def trust_update(*, trust: Trust, changed_fields: list[str]) -> Trust:
    """Save an admin's edit of a trust; a change that can change its compliance requests a recompute."""
    trust_services.trust_save(trust=trust)
    if changed_fields:
        inputs_changed(
            trust=trust if trust_services.COMPLIANCE_FIELDS & set(changed_fields) else None,
            reason=f"trust edited: {', '.join(changed_fields)}",
        )
    return trust
