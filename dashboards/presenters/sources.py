"""Published national data as the pages show it: a trust's raw facts, and DMA averages, each
table saying which file it comes from and the day that file reflects."""

from digitrack.tables import Table, table_params
from milestones.labels import dspt_label, long_date
from trusts.models import Trust

from ..selectors.sources import DmaAverages, PublishedFact, TrustDma, TrustPublished


def score(value: float | None) -> str:
    """A DMA score as published (2.8), or a mean to two places (2.38)."""
    return "" if value is None else f"{round(value, 2):g}"


def _where(fact: PublishedFact) -> str:
    sheet = f", sheet {fact.sheet!r}" if fact.sheet else ""
    return f"{fact.snapshot.file_name}{sheet}, line {fact.line}"


def published_table(published: TrustPublished) -> Table:
    """Each source's rows for the trust as published: what it says, the day it reflects, where it is."""
    rows = []
    for fact in published.dspt:
        when = f" (published {long_date(fact.published_on)})" if fact.published_on else ""
        rows.append([f"DSPT {fact.edition}", dspt_label(fact.dspt_status) + when, fact])
    for fact in published.epr_status:
        said = [f"EPR group: {fact.epr_group or 'none given'}", f"EPR status: {fact.epr_status or 'none given'}"]
        if fact.size_band:
            said.append(f"size band: {fact.size_band}")
        rows.append([fact.snapshot.source_label, "; ".join(said), fact])
    for fact in published.epr_supplier:
        rows.append([fact.snapshot.source_label, fact.supplier, fact])
    return Table(
        "published",
        "Published national data about this trust, as published",
        ["Source", "Published", "As at", "From"],
        [[source, said, fact.snapshot.as_at, _where(fact)] for source, said, fact in rows],
    )


def _with_source(table: Table, file_name: str, as_at) -> Table:
    """The table for a CSV, which has no caption or paragraph beside it: each row names its source."""
    return Table(
        table.name,
        table.caption,
        [*table.head, "Source file", "As at"],
        [[*row, file_name, as_at] for row in table.rows],
        table.numeric,
    )


def trust_published_tables(published: TrustPublished) -> dict[str, Table]:
    """The trust page's published-data tables as its CSV downloads give them."""
    tables = {"published": published_table(published)}
    if published.dma:
        tables["dma"] = _with_source(
            dma_trust_table(published.dma), published.dma.snapshot.file_name, published.dma.snapshot.as_at
        )
    return tables


def dma_averages_csv_table(averages: DmaAverages) -> Table:
    return _with_source(dma_averages_table(averages), averages.snapshot.file_name, averages.snapshot.as_at)


def dma_trust_table(dma: TrustDma) -> Table:
    """Pillar scores per care setting, then the overall scores of the years compared."""
    settings = dma.care_settings
    pillars = list(dict.fromkeys(name for setting in settings for name in setting.pillars))
    rows = [[name, *(score(setting.pillars.get(name)) for setting in settings)] for name in pillars]
    rows += [
        [f"Overall {edition} (comparable domains)", *(score(setting.overall.get(edition)) for setting in settings)]
        for edition in dma.overall_editions
    ]
    return Table(
        "dma",
        f"Digital Maturity Assessment {dma.pillar_edition} pillar scores (1 to 5) by care setting",
        ["Pillar", *(setting.care_setting for setting in settings)],
        rows,
        frozenset(range(1, len(settings) + 1)),
    )


def dma_averages_table(averages: DmaAverages) -> Table:
    """Pillar means of the year with pillar scores beside the overall means of each year compared."""
    editions = sorted({averages.pillar_edition, *averages.overall})
    rows = [
        [name, *(score(value) if edition == averages.pillar_edition else "Not published" for edition in editions)]
        for name, value in averages.pillars.items()
    ]
    rows.append(["Overall (comparable domains)", *(score(averages.overall.get(edition)) for edition in editions)])
    return Table(
        "dma",
        f"Digital Maturity Assessment scores (1 to 5), mean over {averages.trusts} trusts",
        ["Pillar", *editions],
        rows,
        frozenset(range(1, len(editions) + 1)),
    )


def trust_published_body(trust: Trust, published: TrustPublished) -> dict:
    return {
        "trust": trust,
        "published": table_params(published_table(published), caption_hidden=True) if published.any else None,
        "dma": published.dma,
        "dma_table": table_params(dma_trust_table(published.dma)) if published.dma else None,
    }


def dma_averages_body(averages: DmaAverages | None, where: str, region_code: str | None) -> dict:
    return {
        "averages": averages,
        "where": where,
        "region_code": region_code,
        "table": table_params(dma_averages_table(averages)) if averages else None,
    }
