"""The dashboards' own tables: trusts by status for each target, and the status columns of counts.
Tables are digitrack.tables.Table values, as on every page."""

from collections.abc import Callable

from digitrack.tables import Table
from milestones.labels import DEMO_TAG, percent, status_label
from milestones.models import STATUS_ORDER, Status

from ..selectors import Headline


def headline_table(headlines: list[Headline], count_link: Callable[[str, str], str] | None = None) -> Table:
    """Trusts by status for each target; with count_link(target code, status), each count links
    to the trusts it counts."""
    head = ["Target"]
    for status in STATUS_ORDER[:-1]:
        head += [status_label(status), f"{status_label(status)} (% of applicable)"]
    head += [status_label(Status.NOT_APPLICABLE), "Applicable trusts"]
    head += ["Met by the deadline then in force", "National data as at", DEMO_TAG["text"]]
    rows = []
    for headline in headlines:
        row = [headline.target.title]
        for status in STATUS_ORDER[:-1]:
            row += [headline.counts.get(status, 0), percent(headline.percent(status))]
        row += [headline.counts.get(Status.NOT_APPLICABLE, 0), headline.applicable]
        note = headline.note
        past = note.past_deadline if note else None
        row += [
            past.met_by_deadline if past else None,
            note.data_as_at if note else None,
            "yes" if note and note.includes_demo else "no",
        ]
        rows.append(row)
    if count_link is None:
        return Table("headlines", "Trusts by status for each target", head, rows, frozenset(range(1, len(head))))
    columns = {status: 1 + 2 * position for position, status in enumerate(STATUS_ORDER[:-1])}
    columns[Status.NOT_APPLICABLE] = 2 * len(STATUS_ORDER) - 1
    cell_links = [
        {column: count_link(headline.target.code, status) for status, column in columns.items()}
        for headline in headlines
    ]
    return Table(
        "headlines", "Trusts by status for each target", head, rows, frozenset(range(1, len(head))), [], cell_links
    )


def count_columns() -> list[str]:
    return [status_label(status) for status in STATUS_ORDER]
