"""Every figure says where it comes from and how old it is: the national data behind each target,
demo evidence labelled where it counts, past deadlines (met by then, late, now), requirement changes."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone

from milestones.models import (
    DEMO_SUMMARY_PREFIX,
    ComplianceStatus,
    Requirement,
    ReviewState,
    Source,
    Status,
    Target,
)
from milestones.services.compliance import statuses_recompute_all
from milestones.services.requirements import requirement_change
from tests.dashboards.dashboard_data import known_dataset
from tests.factories import EvidenceSubmissionFactory, SourceSnapshotFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def card_note(page: str, kind: str, code: str) -> str:
    match = re.search(rf'data-{kind}="{code}">(.*?)</p>', page, re.S)
    return text(match.group(1)).strip() if match else ""


def approve(trust, requirement, summary: str):
    return EvidenceSubmissionFactory(
        trust=trust, requirement=requirement, state=ReviewState.APPROVED, reviewed_at=timezone.now(), summary=summary
    )


def test_each_card_names_the_national_data_behind_it_and_its_as_at_date(staff_client):
    known_dataset()
    SourceSnapshotFactory(source=Source.DSPT, edition="2022-23", as_at=D(2023, 11, 16), file_name="dspt_2022-23.csv")
    page = staff_client.get("/").content.decode()
    assert card_note(page, "national-data", "cyber-2021") == ("National data: DSPT 2022-23, as at 16 November 2023.")
    # The core target's EPR rules have no snapshot loaded here; the full target rests on uploads alone.
    assert card_note(page, "national-data", "full-2024").startswith("No published national data behind this target")
    headlines = list(csv.reader(io.StringIO(staff_client.get("/exports/national/headlines.csv").content.decode())))
    cyber = next(row for row in headlines if row[0] == "Mandated cyber security standards met")
    assert headlines[0][-2:] == ["National data as at", "Includes demo data"]
    assert cyber[-2:] == ["2023-11-16", "no"]


def test_without_demo_evidence_no_page_or_export_says_demo(staff_client):
    data = known_dataset()
    approve(data.t1, data.core.requirements.first(), "Board paper")
    page = staff_client.get("/").content.decode()
    assert "data-demo-banner" not in page and "data-demo=" not in page
    assert "Includes demo data:" not in staff_client.get("/exports/national/headlines.csv").content.decode()
    assert "data-demo-banner" not in staff_client.get("/regions/Y56/").content.decode()


def test_demo_evidence_is_labelled_on_the_page_its_card_and_its_exports(staff_client):
    data = known_dataset()
    approve(data.t1, data.core.requirements.first(), f"{DEMO_SUMMARY_PREFIX}Board paper")
    page = staff_client.get("/").content.decode()
    assert "data-demo-banner" in page
    assert "count generated demo evidence" in card_note(page, "demo", "core-2023")
    assert card_note(page, "demo", "full-2024") == ""
    headlines = staff_client.get("/exports/national/headlines.csv").content.decode().splitlines()
    assert headlines[-1].startswith("Includes demo data: these figures count generated demo evidence")
    # Published DSPT tables never count demo evidence, so they carry no such note.
    assert "demo" not in staff_client.get("/exports/national/dspt.csv").content.decode()
    region = staff_client.get("/regions/Y56/").content.decode()
    assert "data-demo-banner" in region
    # A region without demo evidence says nothing of it.
    assert "data-demo-banner" not in staff_client.get("/regions/Y58/").content.decode()


def test_demo_evidence_for_optional_requirements_is_not_counted_so_not_labelled(staff_client):
    data = known_dataset()
    plan = Requirement.objects.get(code="board-cyber-plan")
    approve(data.t1, plan, f"{DEMO_SUMMARY_PREFIX}Board cyber plan")
    page = staff_client.get("/").content.decode()
    assert "data-demo-banner" not in page and "data-demo=" not in page


def test_a_past_deadline_shows_met_by_then_late_and_now(staff_client):
    data = known_dataset()
    core = data.core
    # core-2023 (deadline 31 Dec 2023, passed): T1 met by the deadline and still met; T3 met late.
    ComplianceStatus.objects.filter(target=core, trust=data.t1).update(met_by_deadline=True, met_on_time=True)
    ComplianceStatus.objects.filter(target=core, trust=data.t3).update(
        status=Status.MET, met_by_deadline=False, met_on_time=False
    )
    ComplianceStatus.objects.filter(target=core, trust=data.t2).update(met_by_deadline=True)
    page = staff_client.get("/").content.decode()
    assert card_note(page, "past-deadline", "core-2023") == (
        "Met by the deadline then in force (31 December 2023): 2 of 3 trusts; met late since: 1. "
        "Meeting now, on the latest data: 2 of 3."
    )


def test_a_past_deadline_on_an_as_of_day_counts_the_statuses_of_that_day(staff_client):
    data = known_dataset()
    requirement = data.core.requirements.get(code="e-prescribing")
    data.core.requirements.exclude(pk=requirement.pk).update(optional=True)
    for trust, day in ((data.t1, D(2023, 6, 1)), (data.t3, D(2024, 2, 12))):
        noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        EvidenceSubmissionFactory(trust=trust, requirement=requirement, state=ReviewState.APPROVED, reviewed_at=noon)
    # 15 March 2024, a day with no month-end snapshot: T1 met by the 31 December deadline, T3 since;
    # the rules apply the target to all four trusts (the hand-made current statuses leave T4 out).
    page = staff_client.get("/?as_of=2024-03-15").content.decode()
    assert card_note(page, "past-deadline", "core-2023") == (
        "Met by the deadline then in force (31 December 2023): 1 of 4 trusts; met late since: 1. "
        "Meeting now, on the latest data: 2 of 4."
    )


def test_recompute_stores_met_by_deadline_from_the_deadline_then_in_force():
    data = known_dataset()
    requirement = data.core.requirements.get(code="e-prescribing")
    for other in data.core.requirements.exclude(pk=requirement.pk):
        other.optional = True
        other.save()
    EvidenceSubmissionFactory(
        trust=data.t1,
        requirement=requirement,
        state=ReviewState.APPROVED,
        reviewed_at=timezone.make_aware(datetime.datetime(2023, 6, 1, 12)),
    )
    statuses_recompute_all(as_of=D(2024, 3, 1), targets=Target.objects.filter(pk=data.core.pk))
    stored = ComplianceStatus.objects.get(trust=data.t1, target=data.core)
    assert (stored.status, stored.met_by_deadline, stored.met_on_time) == (Status.MET, True, True)
    assert ComplianceStatus.objects.get(trust=data.t3, target=data.core).met_by_deadline is False


def test_requirement_changes_are_listed_beside_the_deadline_revisions(staff_client):
    known_dataset()
    full = Target.objects.get(code="full-2024")
    requirement_change(
        requirement=Requirement(target=full, code="cds", title="Clinical decision support everywhere"),
        reason="New national guidance",
        applies_from=D(2027, 1, 1),
        revised_by=None,
        revised_on=D(2026, 11, 1),
    )
    page = text(staff_client.get("/").content.decode())
    assert "How the requirements changed" in page
    changes = page[page.index("How the requirements changed") :]
    assert "Applies from 1 January 2027 Change Added Requirement Clinical decision support everywhere" in changes
    exported = staff_client.get("/exports/national/requirement-changes.csv").content.decode().splitlines()
    assert exported[0] == "Target,Applies from,Change,Requirement,Reason"
    # The national definitions of 2019 (migration) come first.
    assert any("Minimum Digital Foundations" in line for line in exported)
    assert exported[-1] == "Fully digitised,2027-01-01,Added,Clinical decision support everywhere,New national guidance"


def test_the_trust_list_says_how_old_the_data_behind_each_status_is(staff_client):
    data = known_dataset()
    ComplianceStatus.objects.filter(target=data.core, trust=data.t1).update(data_as_at=D(2024, 10, 1))
    listed = list(
        csv.reader(io.StringIO(staff_client.get("/exports/trust-list.csv?target=core-2023").content.decode()))
    )
    column = listed[0].index("National data as at")
    assert {row[1]: row[column] for row in listed[1:]}["T01"] == "2024-10-01"
