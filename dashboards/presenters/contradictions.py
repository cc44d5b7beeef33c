"""The contradictions page: the list of disagreements between sources (and its CSV), a count per
region, and what each target's "met" rests on."""

from collections import Counter

from django.urls import reverse

from digitrack.tables import Table
from milestones import contradictions
from milestones.labels import long_date, percent

from ..selectors import TargetInfo
from ..selectors.contradictions import TrustContradiction


def contradictions_table(found: list[TrustContradiction]) -> Table:
    rows, links = [], []
    for item in found:
        first, second = item.contradiction.first, item.contradiction.second
        rows.append(
            [
                f"{item.name} ({item.ods_code})",
                item.region,
                item.icb,
                contradictions.KIND_LABELS[item.contradiction.kind],
                first.source,
                first.on,
                first.says,
                second.source,
                second.on,
                second.says,
            ]
        )
        links.append(reverse("dashboards:trust", args=[item.ods_code]))
    return Table(
        "contradictions",
        "Where published sources disagree about a trust",
        [
            "Trust",
            "Region",
            "ICB",
            "Disagreement",
            "One source",
            "As at",
            "Says",
            "Other source",
            "As at",
            "Says",
        ],
        rows,
        links=links,
    )


def contradictions_page_table(found: list[TrustContradiction], *, with_region: bool) -> Table:
    """The list as the page shows it: each fact in one cell with its source and day, so the table
    fits the page (the CSV keeps them in columns of their own)."""
    rows, links = [], []
    for item in found:
        first, second = item.contradiction.first, item.contradiction.second
        rows.append(
            [
                f"{item.name} ({item.ods_code})",
                *([item.region] if with_region else []),
                contradictions.KIND_LABELS[item.contradiction.kind],
                f"{first.source}, as at {long_date(first.on)}: {first.says}",
                f"{second.source}, as at {long_date(second.on)}: {second.says}",
            ]
        )
        links.append(reverse("dashboards:trust", args=[item.ods_code]))
    head = ["Trust", *(["Region"] if with_region else []), "Disagreement", "One source says", "The other says"]
    return Table("contradictions", "Where published sources disagree about a trust", head, rows, links=links)


def by_region_table(found: list[TrustContradiction]) -> Table:
    kinds = list(contradictions.Kind)
    counts = Counter((item.region, item.contradiction.kind) for item in found)
    regions = sorted({item.region for item in found})
    rows = [
        [region, *[counts[(region, kind)] for kind in kinds], sum(counts[(region, kind)] for kind in kinds)]
        for region in regions
    ]
    return Table(
        "contradictions-by-region",
        "Disagreements by region",
        ["Region", *[contradictions.KIND_LABELS[kind] for kind in kinds], "All"],
        rows,
        frozenset(range(1, len(kinds) + 2)),
    )


def assurance_table(mixes: list[tuple[TargetInfo, contradictions.AssuranceMix]]) -> Table:
    bases = list(contradictions.Basis)
    rows = []
    for target, mix in mixes:
        rows.append(
            [
                target.title,
                mix.trusts_met,
                *[percent(None if mix.share(basis) is None else 100 * mix.share(basis)) for basis in bases],
                "yes" if mix.wholly_self_assessed else "no",
            ]
        )
    return Table(
        "assurance",
        'What each target\'s "met" rests on',
        [
            "Target",
            "Trusts met",
            *[f"{contradictions.BASIS_LABELS[basis]} (% of requirements met)" for basis in bases],
            "Rests wholly on self-assessment",
        ],
        rows,
        frozenset(range(1, len(bases) + 2)),
    )
