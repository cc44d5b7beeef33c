"""Reads behind forecasts and stages: month-end shares met, the targets' prerequisites, each trust's
targets met at each month end, and a trust's peers. A fixed number of queries; the pages cache what
they build from these under the dashboard cache generation."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from milestones import rules
from milestones.forecast import months_between, share_met_on_months
from milestones.models import (
    ComplianceSnapshot,
    ComplianceStatus,
    DsptAssessment,
    DsptSubmissionDeadline,
    Status,
    Target,
)
from milestones.models.sources import Source, SourceRow
from milestones.selectors.sources import source_records_for
from trusts.models import Region, Trust

from ..selectors.common import TargetInfo, target_infos

# Fewer peers of the same size than this and the comparison widens to the whole sector.
MIN_PEERS = 5


def share_history(region: Region | None = None) -> dict[int, list[tuple[datetime.date, int, int]]]:
    """target id -> [(month end, trusts met, trusts applicable)], oldest first. A status other than
    met (no current data included) counts as not met."""
    snapshots = ComplianceSnapshot.objects.all()
    if region is not None:
        snapshots = snapshots.filter(trust__region=region)
    history: dict[int, list] = defaultdict(list)
    for row in (
        snapshots.values("target_id", "as_of")
        .annotate(
            met=Count("id", filter=Q(status=Status.MET)),
            applicable=Count("id", filter=~Q(status=Status.NOT_APPLICABLE)),
        )
        .order_by("as_of")
    ):
        history[row["target_id"]].append((row["as_of"], row["met"], row["applicable"]))
    return dict(history)


@dataclass(frozen=True)
class StageSetup:
    targets: list[TargetInfo]
    prerequisites: dict[int, set[int]]  # target id -> ids it needs met first


def stage_setup() -> StageSetup:
    prerequisites: dict[int, set[int]] = defaultdict(set)
    for from_id, to_id in Target.prerequisites.through.objects.values_list("from_target_id", "to_target_id"):
        prerequisites[from_id].add(to_id)
    return StageSetup(targets=target_infos(), prerequisites=dict(prerequisites))


def targets_met_by_month(
    region: Region | None = None, trust: Trust | None = None
) -> dict[datetime.date, dict[int, set[int]]]:
    """month end -> trust id -> the targets it met then, for every trust that month with a target
    applying to it (an empty set when it met none). Two queries."""
    snapshots = ComplianceSnapshot.objects.all()
    if region is not None:
        snapshots = snapshots.filter(trust__region=region)
    if trust is not None:
        snapshots = snapshots.filter(trust=trust)
    months: dict[datetime.date, dict[int, set[int]]] = defaultdict(dict)
    for trust_id, as_of in (
        snapshots.exclude(status=Status.NOT_APPLICABLE).values_list("trust_id", "as_of").distinct().order_by()
    ):
        months[as_of][trust_id] = set()
    for trust_id, target_id, as_of in snapshots.filter(status=Status.MET).values_list("trust_id", "target_id", "as_of"):
        months[as_of].setdefault(trust_id, set()).add(target_id)
    return dict(sorted(months.items()))


@dataclass(frozen=True)
class TrustTargetOutlook:
    target: TargetInfo
    status: str | None
    requirements_met: int
    requirements_total: int
    met_on: datetime.date | None
    started_on: datetime.date  # the target's start, or the trust's opening if later
    peers: list[tuple[float, bool]]  # (months to meet, or followed so far; met?)
    peer_group: str


def size_bands(trust_ids) -> dict[int, str]:
    """Each trust's size band in the latest Frontline Digitisation report that gives one."""
    bands: dict[int, str] = {}
    rows = (
        SourceRow.objects.filter(snapshot__source=Source.EPR_STATUS, trust_id__in=trust_ids)
        .exclude(size_band="")
        .order_by("trust_id", "-snapshot__as_at")
        .values_list("trust_id", "size_band")
    )
    for trust_id, band in rows:
        bands.setdefault(trust_id, band)
    return bands


def trust_outlook(trust: Trust, *, today: datetime.date) -> list[TrustTargetOutlook]:
    """For each target, where the trust stands and how long its peers took: the open trusts of its
    sector and size band (its sector alone when fewer than MIN_PEERS share both). Four queries."""
    sector_trusts = dict(
        Trust.objects.filter(sector=trust.sector, closed_on__isnull=True).values_list("id", "opened_on")
    )
    bands = size_bands([*sector_trusts, trust.pk])
    band = bands.get(trust.pk, "")
    if band.split()[-1:] not in (["Small"], ["Medium"], ["Large"]):
        band = ""  # "Ambulance": the programme gives no size, so its sector is the comparison
    same_band = {trust_id for trust_id in sector_trusts if band and bands.get(trust_id) == band} - {trust.pk}
    sector_label = trust.get_sector_display().lower()
    if len(same_band) >= MIN_PEERS:
        peer_ids, group = same_band, f"{sector_label} trusts of its size ({band})"
    else:
        peer_ids, group = set(sector_trusts) - {trust.pk}, f"{sector_label} trusts"
    rows = ComplianceStatus.objects.filter(trust_id__in=[*peer_ids, trust.pk]).values_list(
        "trust_id", "target_id", "status", "requirements_met", "requirements_total", "met_on"
    )
    own, peers = {}, defaultdict(list)
    targets = target_infos()
    starts = {target.id: target.start_date for target in targets}
    for trust_id, target_id, status, met, total, met_on in rows:
        if trust_id == trust.pk:
            own[target_id] = (status, met, total, met_on)
            continue
        if status == Status.NOT_APPLICABLE:
            continue
        start = max(starts[target_id], sector_trusts[trust_id])
        if status == Status.MET and met_on:
            peers[target_id].append((max(months_between(start, met_on), 0.0), True))
        else:
            peers[target_id].append((max(months_between(start, today), 0.0), False))
    outlook = []
    for target in targets:
        status, met, total, met_on = own.get(target.id, (None, 0, 0, None))
        outlook.append(
            TrustTargetOutlook(
                target=target,
                status=status,
                requirements_met=met,
                requirements_total=total,
                met_on=met_on,
                started_on=max(target.start_date, trust.opened_on),
                peers=peers[target.id],
                peer_group=group,
            )
        )
    return outlook


def national_rule_history(
    rule: str, *, since: datetime.date, until: datetime.date
) -> list[tuple[datetime.date, int, int]]:
    """[(month end, trusts met, trusts open)] for a requirement resting on a national data rule,
    straight from the published records (the compliance rules' spans): the history of the
    published data alone, whatever else a target needs."""
    trusts = list(Trust.objects.values_list("id", "opened_on", "closed_on"))
    ids = [trust_id for trust_id, _, _ in trusts]
    records = source_records_for(ids)
    deadlines = dict(DsptSubmissionDeadline.objects.values_list("year", "deadline"))
    assessments: dict[int, list[rules.DsptAssessmentFacts]] = defaultdict(list)
    for trust_id, year, status, published_on in DsptAssessment.objects.values_list(
        "trust_id", "year", "status", "published_on"
    ):
        assessments[trust_id].append(rules.DsptAssessmentFacts(year, status, published_on))
    basis = rules.Basis(rule=rule)
    rows = []
    for trust_id, opened_on, closed_on in trusts:
        national = rules.NationalFacts(
            tuple(assessments.get(trust_id, ())), deadlines, tuple(records.get(trust_id, ()))
        )
        spans = [(span.start, span.end, span.met) for span in rules.national_spans(basis, national)]
        rows.append((opened_on, closed_on, spans))
    return share_met_on_months(rows, rules.month_ends(since, until))
