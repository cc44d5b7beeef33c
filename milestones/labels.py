"""Words for the pages: status, evidence, review and DSPT labels and tags, "3 days ago", dates, short names for chart axes."""

import datetime

from digitrack.dates import long_date

from .models import DsptStatus, EvidenceState, ReviewState, Status

STATUS_LABELS: dict[str | None, str] = {**dict(Status.choices), None: "Not computed"}
REVIEW_STATE_COLOURS: dict[str, str] = {
    ReviewState.SUBMITTED: "blue",
    ReviewState.APPROVED: "green",
    ReviewState.REJECTED: "red",
    ReviewState.WITHDRAWN: "grey",
}
STATUS_TAG_COLOURS: dict[str | None, str] = {
    Status.MET: "green",
    Status.ON_TRACK: "blue",
    Status.AT_RISK: "yellow",
    Status.OVERDUE: "red",
    Status.NO_CURRENT_DATA: "white",
    Status.NOT_APPLICABLE: "grey",
    None: "white",
}
EVIDENCE_STATE_COLOURS: dict[str, str] = {
    EvidenceState.APPROVED: "green",
    EvidenceState.PENDING: "blue",
    EvidenceState.EXPIRED: "orange",
    EvidenceState.REJECTED: "red",
    EvidenceState.MISSING: "grey",
    EvidenceState.NATIONAL_DATA: "purple",
    EvidenceState.NATIONAL_UNMET: "red",
    EvidenceState.NO_CURRENT_DATA: "white",
}


DSPT_LABELS: dict[str, str] = dict(DsptStatus.choices)
# Best to worst: the order published DSPT statuses are listed and stacked in.
DSPT_STATUS_ORDER: list[str] = [
    DsptStatus.STANDARDS_EXCEEDED,
    DsptStatus.STANDARDS_MET,
    DsptStatus.APPROACHING_STANDARDS,
    DsptStatus.NOT_FULLY_MET_PLAN_AGREED,
    DsptStatus.ENTRY_LEVEL,
    DsptStatus.STANDARDS_NOT_MET,
    DsptStatus.NOT_PUBLISHED,
]
DSPT_TAG_COLOURS: dict[str, str] = {
    DsptStatus.STANDARDS_EXCEEDED: "green",
    DsptStatus.STANDARDS_MET: "aqua-green",
    DsptStatus.APPROACHING_STANDARDS: "yellow",
    DsptStatus.NOT_FULLY_MET_PLAN_AGREED: "orange",
    DsptStatus.ENTRY_LEVEL: "pink",
    DsptStatus.STANDARDS_NOT_MET: "red",
    DsptStatus.NOT_PUBLISHED: "grey",
}
# Approved evidence close to its expiry, on a CIO's to-do: not an evidence state of its own.
EXPIRING_SOON_TAG = {"text": "Expiring soon", "colour": "yellow"}
# Where a figure counts generated demo evidence.
DEMO_TAG = {"text": "Includes demo data", "colour": "orange"}
# The 2018-19 and 2019-20 wordings: a table column or a chart's legend only where a year has them.
DSPT_OLDER_WORDINGS = frozenset({DsptStatus.NOT_FULLY_MET_PLAN_AGREED, DsptStatus.ENTRY_LEVEL})
# The statuses that meet the cyber target (milestones.rules.DSPT_MEETING_STATUSES), in words.
DSPT_MEETING_WORDS = "Standards Met or Exceeded"


def status_label(status: str | None) -> str:
    return STATUS_LABELS.get(status, status or "")


def status_tag(status: str | None) -> dict:
    """Parameters for the nhsuk tag macro: the label is always shown, colour only adds to it."""
    return {"text": status_label(status), "colour": STATUS_TAG_COLOURS.get(status, "white")}


def evidence_tag(state: str) -> dict:
    return {"text": EvidenceState(state).label, "colour": EVIDENCE_STATE_COLOURS[state]}


def evidence_needs_upload(state: str) -> bool:
    return state in EvidenceState.needing_upload()


def submission_tag(state: str) -> dict:
    """An uploaded file's review state as a tag."""
    return {"text": dict(ReviewState.choices).get(state, state), "colour": REVIEW_STATE_COLOURS.get(state, "grey")}


def dspt_label(status: str) -> str:
    return DSPT_LABELS.get(status, status)


def dspt_tag(status: str) -> dict:
    """A published DSPT status as a tag."""
    return {"text": dspt_label(status), "colour": DSPT_TAG_COLOURS.get(status, "white")}


def _ago(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'} ago"


# How far back time_ago writes the date instead ("on 3 March 2025"), which then never changes.
TIME_AGO_AS_DATE_AFTER = datetime.timedelta(days=42)


def time_ago(moment: datetime.datetime | None, now: datetime.datetime) -> str:
    """ "3 days ago", "just now", or the date when it is more than six weeks back."""
    if moment is None:
        return "never"
    minutes = int((now - moment).total_seconds()) // 60
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return _ago(minutes, "minute")
    if minutes < 24 * 60:
        return _ago(minutes // 60, "hour")
    if minutes < TIME_AGO_AS_DATE_AFTER.total_seconds() // 60:
        return _ago(minutes // (24 * 60), "day")
    return f"on {long_date(moment)}"


def short_icb_name(name: str) -> str:
    """ "NHS Cheshire and Merseyside Integrated Care Board" as "Cheshire and Merseyside", for chart axes."""
    return name.removeprefix("NHS ").removesuffix(" Integrated Care Board").removesuffix(" ICB")


def short_trust_name(name: str) -> str:
    """ "Leeds and York Partnership NHS Foundation Trust" as "... NHS FT", for chart axes."""
    return name.replace("NHS Foundation Trust", "NHS FT")


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


def lower_first(text: str) -> str:
    """ "Today" as "today", to follow a sentence."""
    return text[:1].lower() + text[1:]


def deadline_words(target, as_of: datetime.date | None) -> dict:
    """A target's deadline in force (on the as of day, or today's) and how it slipped:
    {"deadline": "31 March 2026", "slippage": "first set for 2018; moved 5 times" or ""}."""
    deadline = target.deadline_on(as_of) if as_of else target.deadline
    moves = target.revisions_by(as_of) if as_of else len(target.revisions)
    slippage = ""
    if moves:
        slippage = f"first set for {target.first_deadline.year}; moved {moves} time{'' if moves == 1 else 's'}"
    return {"deadline": long_date(deadline), "slippage": slippage}
