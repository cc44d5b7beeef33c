"""Published national data as the dashboards show it: a trust's raw facts for its page, and DMA
averages for the region and national pages."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean

from django.db.models import Q

from milestones.models import DMA_PILLARS, Source, SourceRow, SourceSnapshot
from milestones.selectors.sources import dma_mean, dma_mean_pillars
from trusts.models import Trust

# A trust's page.


@dataclass(frozen=True)
class SnapshotRef:
    """Where a figure comes from: the source, the file and the day it reflects."""

    source: str  # a Source value
    source_label: str
    as_at: datetime.date
    file_name: str
    edition: str


@dataclass(frozen=True)
class PublishedFact:
    """One trust's row in one snapshot, as published."""

    snapshot: SnapshotRef
    line: int
    sheet: str
    edition: str
    dspt_status: str = ""
    published_on: datetime.date | None = None
    epr_group: str = ""
    epr_status: str = ""
    size_band: str = ""
    supplier: str = ""


@dataclass(frozen=True)
class DmaCareSetting:
    care_setting: str
    pillars: dict[str, float]  # pillar name as published: score
    overall: dict[str, float]  # edition ("2024"): overall score over comparable domains


@dataclass(frozen=True)
class TrustDma:
    snapshot: SnapshotRef
    care_settings: list[DmaCareSetting]
    pillar_edition: str  # the year of the pillar scores ("2025")
    overall_editions: list[str]  # the years compared, oldest first


@dataclass(frozen=True)
class TrustPublished:
    """What the published national sources say about a trust, newest snapshot first per source."""

    dspt: list[PublishedFact]  # newest snapshot's row per assessment year, newest year first
    epr_status: list[PublishedFact]
    epr_supplier: list[PublishedFact]
    dma: TrustDma | None  # the newest DMA snapshot with rows for the trust

    @property
    def any(self) -> bool:
        return bool(self.dspt or self.epr_status or self.epr_supplier or self.dma)


def published_for_trust(trust: Trust) -> TrustPublished:
    """One query: every row the published snapshots hold for the trust, with their snapshots."""
    rows = list(
        SourceRow.objects.filter(trust=trust)
        .select_related("snapshot")
        .order_by("-snapshot__as_at", "-snapshot_id", "sheet", "line")
    )
    by_source: dict[str, list[SourceRow]] = defaultdict(list)
    for row in rows:
        by_source[row.snapshot.source].append(row)
    dspt_years: dict[str, PublishedFact] = {}
    for row in by_source[Source.DSPT]:
        dspt_years.setdefault(row.edition, _fact(row))  # newest snapshot first: it wins
    return TrustPublished(
        dspt=[dspt_years[year] for year in sorted(dspt_years, reverse=True)],
        epr_status=[_fact(row) for row in by_source[Source.EPR_STATUS]],
        epr_supplier=[_fact(row) for row in by_source[Source.EPR_SUPPLIER]],
        dma=_trust_dma(by_source[Source.DMA]),
    )


def _ref(snapshot: SourceSnapshot) -> SnapshotRef:
    return SnapshotRef(
        snapshot.source, snapshot.get_source_display(), snapshot.as_at, snapshot.file_name, snapshot.edition
    )


def _fact(row: SourceRow) -> PublishedFact:
    return PublishedFact(
        snapshot=_ref(row.snapshot),
        line=row.line,
        sheet=row.sheet,
        edition=row.edition,
        dspt_status=row.dspt_status,
        published_on=row.published_on,
        epr_group=row.epr_group,
        epr_status=row.epr_status,
        size_band=row.size_band,
        supplier=row.supplier,
    )


def _trust_dma(rows: list[SourceRow]) -> TrustDma | None:
    if not rows:
        return None
    newest = rows[0].snapshot
    settings: dict[str, DmaCareSetting] = {}
    pillar_editions, overall_editions = set(), set()
    for row in rows:
        if row.snapshot_id != newest.pk:
            break
        setting = settings.setdefault(row.care_setting.lower(), DmaCareSetting(row.care_setting, {}, {}))
        if row.dma_pillars:
            setting.pillars.update(row.dma_pillars)
            pillar_editions.add(row.edition)
        if row.dma_overall is not None:
            setting.overall[row.edition] = row.dma_overall
            overall_editions.add(row.edition)
    return TrustDma(
        snapshot=_ref(newest),
        care_settings=sorted(settings.values(), key=lambda s: s.care_setting),
        pillar_edition=max(pillar_editions, default=""),
        overall_editions=sorted(overall_editions),
    )


# Region and national pages.


@dataclass(frozen=True)
class DmaAverages:
    """DMA scores averaged over trusts (each trust's care settings averaged first)."""

    snapshot: SnapshotRef
    pillar_edition: str
    pillars: dict[str, float]  # pillar name: mean over trusts
    overall: dict[str, float]  # edition: mean over trusts of the overall comparable score
    trusts: int  # trusts with scores


def dma_averages(*, region_code: str | None = None) -> DmaAverages | None:
    """Pillar and overall averages from the newest DMA snapshot, nationally or for a region's
    trusts: two queries."""
    snapshot = SourceSnapshot.objects.filter(source=Source.DMA).order_by("-as_at", "-pk").first()
    if snapshot is None:
        return None
    rows = snapshot.rows.filter(Q(trust__region__code=region_code) if region_code else Q()).values(
        "trust_id", "edition", "dma_overall", *(field for field, _ in DMA_PILLARS)
    )
    pillars_by_trust: dict[int, list[dict]] = defaultdict(list)
    overall_by_edition: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    pillar_editions = set()
    for row in rows:
        if any(row[field] is not None for field, _ in DMA_PILLARS):
            pillars_by_trust[row["trust_id"]].append(row)
            pillar_editions.add(row["edition"])
        if row["dma_overall"] is not None:
            overall_by_edition[row["edition"]][row["trust_id"]].append(row["dma_overall"])
    trust_pillars = [dma_mean_pillars(trust_rows) for trust_rows in pillars_by_trust.values()]
    pillars = {}
    for _, name in DMA_PILLARS:
        mean = dma_mean(scores.get(name) for scores in trust_pillars)
        if mean is not None:
            pillars[name] = mean
    overall = {
        edition: fmean(fmean(scores) for scores in by_trust.values())
        for edition, by_trust in sorted(overall_by_edition.items())
    }
    trusts = len(pillars_by_trust.keys() | {t for by_trust in overall_by_edition.values() for t in by_trust})
    if not trusts:
        return None
    return DmaAverages(_ref(snapshot), max(pillar_editions, default=""), pillars, overall, trusts)
