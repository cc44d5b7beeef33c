"""Reads of published DSPT statuses for the cyber target's views and a trust's page."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from milestones import rules
from milestones.labels import DSPT_STATUS_ORDER
from milestones.models import DsptAssessment, DsptSubmissionDeadline
from trusts.models import Trust, icb_display_name
from trusts.selectors import trust_icbs_on

from ..filters import DashboardFilters

ALL_TRUSTS = DashboardFilters()


@dataclass(frozen=True)
class DsptCount:
    year: str
    group: str  # the region's or the ICB's name
    status: str
    trusts: int


@dataclass(frozen=True)
class DsptShare:
    on: datetime.date
    meeting: int  # trusts with Standards Met or Exceeded in force on that day
    open_trusts: int

    @property
    def percent(self) -> float | None:
        return 100 * self.meeting / self.open_trusts if self.open_trusts else None


@dataclass(frozen=True)
class DsptHistoryEntry:
    year: str
    status: str
    published_on: datetime.date | None
    source_file: str
    imported_at: datetime.datetime
    replaced: tuple[tuple[str, str], ...]  # (old status, old source file), newest first


def _assessments(filters: DashboardFilters, region_code: str | None, since_year: str | None = None):
    assessments = DsptAssessment.objects.filter(filters.trust_q("trust__"))
    if since_year:
        assessments = assessments.filter(year__gte=since_year)
    if region_code:
        assessments = assessments.filter(trust__region__code=region_code)
    return assessments


def _ordered(counts: list[DsptCount]) -> list[DsptCount]:
    return sorted(counts, key=lambda c: (c.year, c.group, DSPT_STATUS_ORDER.index(c.status)))


def dspt_counts_by_year_and_region(
    filters: DashboardFilters = ALL_TRUSTS, *, region_code: str | None = None, since_year: str = "2020-21"
) -> list[DsptCount]:
    """Trusts per assessment year, NHS region and status, for the dashboard's filters: one GROUP BY.
    A year's record, so trusts closed since count in the years they published."""
    rows = (
        _assessments(filters, region_code, since_year)
        .values("year", "trust__region__name", "status")
        .annotate(trusts=Count("id"))
        .order_by()
    )
    return _ordered([DsptCount(r["year"], r["trust__region__name"], r["status"], r["trusts"]) for r in rows])


def dspt_counts_by_year_and_icb(
    filters: DashboardFilters, *, region_code: str, since_year: str = "2020-21"
) -> list[DsptCount]:
    """Trusts of one region per assessment year, ICB and status, for the dashboard's filters: one
    GROUP BY. As of a day, by the ICB each trust was in that day, as the rest of the page groups them."""
    assessments = _assessments(filters, region_code, since_year)
    if filters.as_of is not None:
        rows = assessments.values("year", "trust_id", "status").annotate(trusts=Count("id")).order_by()
        icbs = trust_icbs_on(filters.as_of, Trust.objects.filter(pk__in={row["trust_id"] for row in rows}))
        counts: dict[tuple[str, str, str], int] = defaultdict(int)
        for row in rows:
            counts[(row["year"], icbs[row["trust_id"]].name, row["status"])] += row["trusts"]
        return _ordered([DsptCount(*key, trusts) for key, trusts in counts.items()])
    rows = (
        assessments.values("year", "trust__icb__code", "trust__icb__name", "status")
        .annotate(trusts=Count("id"))
        .order_by()
    )
    return _ordered(
        [
            DsptCount(
                r["year"],
                icb_display_name(r["trust__icb__name"]),
                r["status"],
                r["trusts"],
            )
            for r in rows
        ]
    )


def dspt_shares_meeting_on(
    days: list[datetime.date], filters: DashboardFilters = ALL_TRUSTS, *, region_code: str | None = None
) -> list[DsptShare]:
    """For each day, of the trusts (within the filters) open on it, how many had Standards Met or
    Exceeded in force then, judged by the same rule as the cyber target's national-data
    requirement. Three queries whatever the number of days and trusts."""
    trusts = Trust.objects.filter(filters.trust_q())
    if region_code:
        trusts = trusts.filter(region__code=region_code)
    trusts = list(trusts.only("pk", "opened_on", "closed_on"))
    deadlines = dict(DsptSubmissionDeadline.objects.values_list("year", "deadline"))
    by_trust: dict[int, list[rules.DsptAssessmentFacts]] = {}
    for trust_id, year, status, published_on in _assessments(filters, region_code).values_list(
        "trust_id", "year", "status", "published_on"
    ):
        by_trust.setdefault(trust_id, []).append(rules.DsptAssessmentFacts(year, status, published_on))
    periods = {
        trust_id: rules.dspt_periods(rules.NationalFacts(tuple(facts), deadlines))
        for trust_id, facts in by_trust.items()
    }
    shares = []
    for day in days:
        open_trusts = [trust.pk for trust in trusts if trust.is_open_on(day)]
        meeting = sum(1 for trust_id in open_trusts if rules.met_since_on(periods.get(trust_id, []), day) is not None)
        shares.append(DsptShare(on=day, meeting=meeting, open_trusts=len(open_trusts)))
    return shares


def dspt_history_for_trust(trust: Trust) -> list[DsptHistoryEntry]:
    """A trust's published statuses, oldest year first, each with what later files replaced."""
    assessments = DsptAssessment.objects.filter(trust=trust).prefetch_related("changes").order_by("year")
    return [
        DsptHistoryEntry(
            year=a.year,
            status=a.status,
            published_on=a.published_on,
            source_file=a.source_file,
            imported_at=a.imported_at,
            replaced=tuple((c.old_status, c.old_source_file) for c in a.changes.all()),
        )
        for a in assessments
    ]


@dataclass(frozen=True)
class TrustDspt:
    """A trust's published statuses and the submission deadlines that date those published without a day."""

    history: list[DsptHistoryEntry]
    deadlines: dict[str, datetime.date]

    def meeting_on(self, day: datetime.date) -> DsptHistoryEntry | None:
        """The published assessment that meets the trust's DSPT requirement on `day`, if any
        (the latest year when two overlap): what the trust page shows instead of an upload."""
        for entry in reversed(self.history):
            facts = rules.NationalFacts(
                (rules.DsptAssessmentFacts(entry.year, entry.status, entry.published_on),), self.deadlines
            )
            if rules.met_since_on(rules.dspt_periods(facts), day) is not None:
                return entry
        return None


def dspt_for_trust(trust: Trust) -> TrustDspt:
    """Three queries: the deadlines, the assessments and what later files replaced."""
    deadlines = dict(DsptSubmissionDeadline.objects.values_list("year", "deadline"))
    return TrustDspt(history=dspt_history_for_trust(trust), deadlines=deadlines)
