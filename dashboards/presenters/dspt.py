"""The cyber target's published DSPT statuses: tags, a trust's timeline, tables, headline shares."""

import datetime

from digitrack.tables import Table, table_params
from milestones.labels import (
    DSPT_MEETING_WORDS,
    DSPT_OLDER_WORDINGS,
    DSPT_STATUS_ORDER,
    dspt_label,
    dspt_tag,
    long_date,
    lower_first,
    percent,
)

from .. import charts
from ..selectors import TargetInfo
from ..selectors.dspt import DsptCount, DsptHistoryEntry, DsptShare, TrustDspt


def dspt_published(entry: DsptHistoryEntry, deadlines: dict[str, datetime.date]) -> str:
    """When a published status counts from: its publication date, else its year's submission deadline."""
    if entry.published_on:
        return f"Published {long_date(entry.published_on)}"
    if entry.year in deadlines:
        return (
            f"No publication date in the file: counts from the {long_date(deadlines[entry.year])} submission deadline"
        )
    return "No publication date in the file, and no submission deadline recorded for this year"


def dspt_timeline(dspt: TrustDspt) -> list[dict]:
    """A trust's published statuses, newest year first, for the timeline on its page."""
    return [
        {
            "year": entry.year,
            "tag": dspt_tag(entry.status),
            "published": dspt_published(entry, dspt.deadlines),
            "source_file": entry.source_file,
            "replaced": [f"{dspt_label(status)} from {source}" for status, source in entry.replaced],
        }
        for entry in reversed(dspt.history)
    ]


def dspt_requirement_note(entry: DsptHistoryEntry | None, dspt: TrustDspt) -> str:
    """What a requirement met by national data rests on today, in words."""
    if entry is None:
        return f"No published DSPT status of {DSPT_MEETING_WORDS} is in force."
    published = dspt_published(entry, dspt.deadlines)
    return f"Met by the published DSPT status {entry.year}: {dspt_label(entry.status)} ({published[0].lower()}{published[1:]}; from {entry.source_file})."


def dspt_table(
    counts: list[DsptCount], group_head: str = "Region", caption: str = "Published DSPT statuses by region"
) -> Table:
    """Published DSPT statuses: trusts per assessment year, group (region or ICB) and status."""
    grouped: dict = {}
    for count in counts:
        grouped.setdefault((count.year, count.group), {})[count.status] = count.trusts
    # The wordings of 2018-19 and 2019-20 get a column only where a count has them.
    statuses = [s for s in DSPT_STATUS_ORDER if s not in DSPT_OLDER_WORDINGS or any(c.status == s for c in counts)]
    rows = [[year, group, *[values.get(status, 0) for status in statuses]] for (year, group), values in grouped.items()]
    head = ["Assessment year", group_head, *[dspt_label(status) for status in statuses]]
    return Table("dspt", caption, head, rows, frozenset(range(2, len(head))))


def dspt_shares_table(shares: list[tuple[str, DsptShare]]) -> Table:
    """The share of open trusts at Standards Met or Exceeded on each day, labelled ("today")."""
    rows = [[label, share.on, share.meeting, share.open_trusts, percent(share.percent)] for label, share in shares]
    return Table(
        "dspt-shares",
        f"Open trusts with {DSPT_MEETING_WORDS} in force",
        ["When", "Date", DSPT_MEETING_WORDS, "Open trusts", "Share"],
        rows,
        frozenset({2, 3, 4}),
    )


def dspt_share_headline(label: str, share: DsptShare) -> dict:
    """A share meeting the standard as a headline number and the words that say what it counts."""
    if not share.open_trusts:
        return {"number": "", "text": f"No trust in this view was open {lower_first(label)}."}
    return {
        "number": percent(share.percent),
        "text": f"had {DSPT_MEETING_WORDS} {lower_first(label)}: {share.meeting} of {share.open_trusts} open trusts",
    }


def dspt_history_table(dspt: TrustDspt) -> Table:
    return Table(
        "dspt",
        "Published DSPT statuses",
        ["Assessment year", "Status", "Published on", "Source file", "Imported at", "Replaced"],
        [
            [
                entry.year,
                dspt_label(entry.status),
                entry.published_on,
                entry.source_file,
                entry.imported_at,
                "; ".join(f"{dspt_label(status)} from {source}" for status, source in entry.replaced),
            ]
            for entry in dspt.history
        ],
    )


def dspt_share_days(
    targets: list[TargetInfo], as_of: datetime.date | None, today: datetime.date
) -> list[tuple[str, datetime.date]]:
    """The days the share meeting the standard is shown on, labelled: the cyber target's deadline
    (summer 2021, the 2020-21 submission deadline), and today or the as of date."""
    days = [
        (f"At the {long_date(target.deadline)} deadline", target.deadline) for target in targets if target.met_by_dspt
    ]
    later = as_of or today
    return [*days[:1], (f"On {long_date(later)}" if as_of else "Today", later)]


def dspt_block(
    tables: dict[str, Table],
    counts: list[DsptCount],
    shares: list[tuple[str, DsptShare]],
    group_noun: str,
    short_name=str,
) -> dict:
    """The cyber target's published statuses: the shares meeting the standard, and a chart by year with its table."""
    chart_counts = [(count.year, short_name(count.group), count.status, count.trusts) for count in counts]
    chart_shares = [(lower_first(label), share.percent) for label, share in shares]
    return {
        "chart": charts.dspt_by_group_chart("dspt", chart_counts, chart_shares, group_noun),
        "table": table_params(tables["dspt"]),
        "shares": [dspt_share_headline(label, share) for label, share in shares],
        "latest_year": max((count.year for count in counts), default=None),
    }
