"""A trust's page: its tables and its latest evidence."""

from django.urls import reverse

from digitrack.tables import Table, table_params
from milestones.labels import status_label, submission_tag
from milestones.models import EvidenceState, ReviewState
from trusts.models import Trust

from .. import charts
from ..presenters.dspt import dspt_history_table
from ..selectors import TrustDashboard, TrustHistory
from ..selectors.dspt import TrustDspt


def trust_tables(dashboard: TrustDashboard, history: TrustHistory, dspt: TrustDspt) -> dict[str, Table]:
    statuses = Table(
        "statuses",
        "Status against each target",
        ["Target", "Deadline", "Status", "Requirements met", "Reason", "Last computed"],
        [
            [
                row.target.title,
                row.target.deadline,
                status_label(row.status),
                f"{row.requirements_met} of {row.requirements_total}",
                row.reason,
                row.computed_at,
            ]
            for row in dashboard.targets
        ],
    )
    requirements = Table(
        "requirements",
        "Evidence state of each requirement",
        ["Target", "Requirement", "Evidence"],
        [
            [row.target.title, requirement.title, EvidenceState(requirement.state).label]
            for row in dashboard.targets
            for requirement in row.requirements
        ],
    )
    by_month: dict = {}
    for target_id, series in history.timeline.items():
        for month, status in series:
            by_month.setdefault(month, {})[target_id] = status_label(status)
    timeline = Table(
        "timeline",
        "Status at each month end",
        ["Month end", *[row.target.title for row in dashboard.targets]],
        [[month, *[by_month[month].get(row.target.id, "") for row in dashboard.targets]] for month in sorted(by_month)],
    )
    changes = Table(
        "changes",
        "Recent status changes",
        ["When", "Target", "From", "To", "Reason"],
        [
            [changed_at, target, status_label(old or None), status_label(new), reason]
            for changed_at, target, old, new, reason in history.changes
        ],
    )
    return {table.name: table for table in (statuses, requirements, timeline, changes, dspt_history_table(dspt))}


def trust_history_body(trust: Trust, dashboard: TrustDashboard, history: TrustHistory, dspt: TrustDspt) -> dict:
    """A trust's status history: the timeline chart and the tables of months and changes."""
    tables = trust_tables(dashboard, history, dspt)
    series = [(row.target.title, history.timeline.get(row.target.id, [])) for row in dashboard.targets]
    return {
        "trust": trust,
        "tables": {
            name: table_params(tables[name], caption_hidden=name == "changes") for name in ("timeline", "changes")
        },
        "timeline": charts.trust_timeline_chart("timeline", series),
    }


def recent_evidence(items: list[dict], *, may_review: bool) -> list[dict]:
    """A trust's latest uploads as its page lists them: the review state's tag, the file's page, and
    a link to review it where it is pending and the viewer reviews evidence (None otherwise)."""
    return [
        {
            "tag": submission_tag(item["state"]),
            "name": item["original_name"],
            "href": reverse("milestones:evidence_detail", args=[item["id"]]),
            "requirement": item["requirement__title"],
            "submitted_at": item["submitted_at"],
            "review_href": reverse("milestones:review", args=[item["id"]])
            if may_review and item["state"] == ReviewState.SUBMITTED
            else None,
        }
        for item in items
    ]
