"""Small known datasets for the dashboard tests, on the targets the migrations seed.

Test organisations only (factory codes such as T01); regions are the real seeded NHS England regions.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from milestones.forecast import month_ends_after
from milestones.generation import dashboard_generation_bump
from milestones.models import (
    ComplianceSnapshot,
    ComplianceStatus,
    ComplianceStatusChange,
    DsptAssessment,
    DsptStatus,
    Source,
    SourceRow,
    Status,
    Target,
)
from tests.factories import (
    IntegratedCareBoardFactory,
    RegionFactory,
    SourceSnapshotFactory,
    TrustFactory,
    UserFactory,
)
from trusts.models import ExemplarStatus, Region, Sector, Trust

JAN, FEB = datetime.date(2024, 1, 31), datetime.date(2024, 2, 29)
MAY_2023, OCT_2024 = datetime.date(2023, 5, 26), datetime.date(2024, 10, 1)


@dataclass
class Known:
    london: Region
    south_west: Region
    t1: Trust
    t2: Trust
    t3: Trust
    t4: Trust
    core: Target
    full: Target


def status(trust, target, value, reason="", computed_at=None):
    moment = computed_at or timezone.now()
    return ComplianceStatus.objects.create(
        trust=trust,
        target=target,
        status=value,
        reason=reason or f"{value} because of the test",
        requirements_total=3,
        computed_at=moment,
        changed_at=moment,
    )


def known_dataset() -> Known:
    """London: ICB A with T1 (acute) and T2 (mental health, GDE), ICB B with T3 (acute);
    South West: T4 (community).

    core-2023 now: T1 met, T2 overdue, T3 at risk, T4 not applicable.
    full-2024 now: T1 on track, T2 on track, T3 met, T4 met.
    core-2023 snapshots: January T1 met, T2 on track, T3 on track, T4 n/a;
                         February T1 met, T2 overdue, T3 met, T4 n/a.
    """
    london = RegionFactory(code="Y56", name="London")
    south_west = RegionFactory(code="Y58", name="South West")
    icb_a = IntegratedCareBoardFactory(code="XA1", name="NHS ALPHA INTEGRATED CARE BOARD", region=london)
    icb_b = IntegratedCareBoardFactory(code="XB1", name="NHS BETA INTEGRATED CARE BOARD", region=london)
    icb_c = IntegratedCareBoardFactory(code="XC1", name="NHS GAMMA INTEGRATED CARE BOARD", region=south_west)
    t1 = TrustFactory(ods_code="T01", name="ALPHA ACUTE NHS TRUST", region=london, icb=icb_a)
    t2 = TrustFactory(
        ods_code="T02",
        name="ALPHA MIND NHS TRUST",
        region=london,
        icb=icb_a,
        sector=Sector.MENTAL_HEALTH,
        exemplar_status=ExemplarStatus.GLOBAL_DIGITAL_EXEMPLAR,
    )
    t3 = TrustFactory(ods_code="T03", name="BETA ACUTE NHS TRUST", region=london, icb=icb_b)
    t4 = TrustFactory(
        ods_code="T04", name="GAMMA COMMUNITY NHS TRUST", region=south_west, icb=icb_c, sector=Sector.COMMUNITY
    )
    core = Target.objects.get(code="core-2023")
    full = Target.objects.get(code="full-2024")
    for trust, value in ((t1, Status.MET), (t2, Status.OVERDUE), (t3, Status.AT_RISK), (t4, Status.NOT_APPLICABLE)):
        status(trust, core, value)
    for trust, value in ((t1, Status.ON_TRACK), (t2, Status.ON_TRACK), (t3, Status.MET), (t4, Status.MET)):
        status(trust, full, value)
    january = (Status.MET, Status.ON_TRACK, Status.ON_TRACK, Status.NOT_APPLICABLE)
    february = (Status.MET, Status.OVERDUE, Status.MET, Status.NOT_APPLICABLE)
    for day, values in ((JAN, january), (FEB, february)):
        for trust, value in zip((t1, t2, t3, t4), values, strict=False):
            ComplianceSnapshot.objects.create(trust=trust, target=core, as_of=day, status=value)
    ComplianceStatusChange.objects.create(
        trust=t2,
        target=core,
        old_status=Status.ON_TRACK,
        new_status=Status.OVERDUE,
        reason="Deadline passed with 2 requirements unmet",
        changed_at=timezone.now(),
    )
    return Known(london, south_west, t1, t2, t3, t4, core, full)


def closed_trust(data: Known) -> Trust:
    """TZZ, a London acute trust of ICB A that closed on 15 February 2024 with T01 as its successor:
    overdue on core-2023 at the January month end, not applicable (closed) since."""
    closed_on = datetime.date(2024, 2, 15)
    trust = TrustFactory(
        ods_code="TZZ",
        name="OMEGA ACUTE NHS TRUST",
        region=data.london,
        icb=data.t1.icb,
        closed_on=closed_on,
    )
    trust.successors.set([data.t1])
    for target in (data.core, data.full):
        status(trust, target, Status.NOT_APPLICABLE, "Trust closed on 15 Feb 2024")
    ComplianceSnapshot.objects.create(trust=trust, target=data.core, as_of=JAN, status=Status.OVERDUE)
    ComplianceSnapshot.objects.create(trust=trust, target=data.core, as_of=FEB, status=Status.NOT_APPLICABLE)
    return trust


def known_dspt(data: Known) -> None:
    """Published DSPT statuses for known_dataset()'s trusts (test organisations, made-up statuses).
    2020-21: T1 met (published 1 June 2021), T2 approaching (1 June 2021), T3 exceeded (1 July 2021,
    after the deadline), T4 met (1 June 2021). 2021-22 (no publication dates): T1 met, T2 met, T3 not met."""
    june, july = datetime.date(2021, 6, 1), datetime.date(2021, 7, 1)
    rows = [
        (data.t1, "2020-21", DsptStatus.STANDARDS_MET, june),
        (data.t2, "2020-21", DsptStatus.APPROACHING_STANDARDS, june),
        (data.t3, "2020-21", DsptStatus.STANDARDS_EXCEEDED, july),
        (data.t4, "2020-21", DsptStatus.STANDARDS_MET, june),
        (data.t1, "2021-22", DsptStatus.STANDARDS_MET, None),
        (data.t2, "2021-22", DsptStatus.STANDARDS_MET, None),
        (data.t3, "2021-22", DsptStatus.STANDARDS_NOT_MET, None),
    ]
    dspt_published(rows)


def dspt_published(rows) -> None:
    """Published DSPT statuses, one per (trust, year, status, published_on) row, each from the file
    dspt_<year>.csv, made in bulk."""
    DsptAssessment.objects.bulk_create(
        DsptAssessment(
            trust=trust,
            year=year,
            status=status,
            published_on=published_on,
            source_file=f"dspt_{year}.csv",
            source_sha256="0" * 64,
            imported_at=timezone.now(),
        )
        for trust, year, status, published_on in rows
    )


def programme_user():
    return UserFactory(roles=["Programme staff"])


def cio_user(*trusts):
    """A Trust CIO linked to `trusts`."""
    return UserFactory(roles=["Trust CIO"], cio_of=trusts)


def many_trusts(count: int) -> list[Trust]:
    """`count` trusts spread over the seeded regions, each with a status and three month-end
    snapshots for every target, made in bulk."""
    regions = list(Region.objects.all())
    icbs = [IntegratedCareBoardFactory(region=region) for region in regions]
    trusts = [
        TrustFactory.build(region=icb.region, icb=icb, sector=sector)
        for icb, sector, _ in zip(
            itertools.cycle(icbs), itertools.cycle([Sector.ACUTE, Sector.MENTAL_HEALTH, Sector.COMMUNITY]), range(count)
        )
    ]
    trusts = Trust.objects.bulk_create(trusts)
    targets = list(Target.objects.all())
    statuses = itertools.cycle([Status.MET, Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE, Status.NOT_APPLICABLE])
    now = timezone.now()
    ComplianceStatus.objects.bulk_create(
        ComplianceStatus(
            trust=trust,
            target=target,
            status=next(statuses),
            reason="Test data",
            requirements_total=3,
            computed_at=now,
            changed_at=now,
        )
        for trust in trusts
        for target in targets
    )
    ComplianceSnapshot.objects.bulk_create(
        ComplianceSnapshot(trust=trust, target=target, as_of=day, status=next(statuses))
        for trust in trusts
        for target in targets
        for day in (datetime.date(2023, 11, 30), datetime.date(2023, 12, 31), JAN)
    )
    dashboard_generation_bump()  # as the register import does: the days stored for as-of views are stale
    return trusts


def epr_disagreement(trust) -> None:
    """The 2023 programme report gives the trust an EPR; the 2024 supplier list says it has none."""
    report = SourceSnapshotFactory(source=Source.EPR_STATUS, as_at=MAY_2023, file_name="frontline.csv")
    suppliers = SourceSnapshotFactory(source=Source.EPR_SUPPLIER, as_at=OCT_2024, file_name="suppliers.xlsx")
    SourceRow.objects.create(snapshot=report, trust=trust, line=2, epr_group="Group 2", epr_status="Extend")
    SourceRow.objects.create(snapshot=suppliers, trust=trust, line=5, supplier="No EPR - in process of getting one")


def met_share_history(target, trusts, shares, start=datetime.date(2020, 1, 31)) -> None:
    """Month-end snapshots from `start`, one month per share: that share of `trusts` met `target`,
    the rest at risk."""
    months = [start, *month_ends_after(start, len(shares) - 1)]
    ComplianceSnapshot.objects.bulk_create(
        ComplianceSnapshot(
            trust=trust,
            target=target,
            as_of=month,
            status=Status.MET if index < round(share * len(trusts)) else Status.AT_RISK,
        )
        for month, share in zip(months, shares, strict=True)
        for index, trust in enumerate(trusts)
    )
