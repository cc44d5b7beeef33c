"""Reads of published national data: the records the compliance rules use (the dashboards read a
trust's raw facts and DMA averages in dashboards.selectors.sources)."""

from collections import defaultdict
from collections.abc import Iterable
from statistics import fmean

from .. import rules
from ..models import DMA_PILLARS, SourceRow

_ROW_FIELDS = (
    "trust_id",
    "snapshot_id",
    "snapshot__source",
    "snapshot__as_at",
    "edition",
    "dspt_status",
    "published_on",
    "epr_group",
    "epr_status",
    "supplier",
    "care_setting",
    "dma_overall",
    *(name for name, _ in DMA_PILLARS),
)


def source_records_for(trust_ids: Iterable[int]) -> dict[int, list[rules.SourceRecord]]:
    """Every trust's published records, oldest snapshot first: one query whatever the number of
    trusts. A DSPT edition given by several snapshots is the newest one's (as DsptAssessment
    holds it); DMA rows, one per care setting, become one record per snapshot and edition with
    each score the mean over the trust's care settings."""
    rows = (
        SourceRow.objects.filter(trust_id__in=list(trust_ids))
        .order_by("snapshot__as_at", "snapshot_id", "sheet", "line")
        .values(*_ROW_FIELDS)
    )
    records: dict[int, list[rules.SourceRecord]] = defaultdict(list)
    dspt: dict[tuple[int, str], rules.SourceRecord] = {}
    dma: dict[tuple[int, int, str], list[dict]] = defaultdict(list)
    for row in rows:
        source = rules.SourceKind(row["snapshot__source"])
        if source == rules.SourceKind.DMA:
            dma[(row["trust_id"], row["snapshot_id"], row["edition"])].append(row)
            continue
        record = rules.SourceRecord(
            source=source,
            as_at=row["snapshot__as_at"],
            snapshot_id=row["snapshot_id"],
            edition=row["edition"],
            dspt_status=row["dspt_status"],
            published_on=row["published_on"],
            epr_group=row["epr_group"],
            epr_status=row["epr_status"],
            supplier=row["supplier"],
        )
        if source == rules.SourceKind.DSPT:
            dspt[(row["trust_id"], row["edition"])] = record  # ordered oldest first: the newest stays
        else:
            records[row["trust_id"]].append(record)
    for (trust_id, _), record in dspt.items():
        records[trust_id].append(record)
    for (trust_id, snapshot_id, edition), care_settings in dma.items():
        first = care_settings[0]
        records[trust_id].append(
            rules.SourceRecord(
                source=rules.SourceKind.DMA,
                as_at=first["snapshot__as_at"],
                snapshot_id=snapshot_id,
                edition=edition,
                dma_pillars=dma_mean_pillars(care_settings),
                dma_overall=dma_mean(row["dma_overall"] for row in care_settings),
            )
        )
    for trust_records in records.values():
        trust_records.sort(key=lambda record: (record.as_at, record.snapshot_id, record.edition))
    return dict(records)


def dma_mean(values: Iterable[float | None]) -> float | None:
    """The mean of the scores given (None where none is)."""
    present = [value for value in values if value is not None]
    return fmean(present) if present else None


def dma_mean_pillars(rows: list[dict]) -> dict[str, float]:
    """Each DMA pillar's mean over rows (a trust's care settings), for the pillars scored."""
    means = {name: dma_mean(row[field] for row in rows) for field, name in DMA_PILLARS}
    return {name: score for name, score in means.items() if score is not None}
