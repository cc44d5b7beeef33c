"""Operator commands: recompute_compliance and backfill_compliance_history."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from milestones.models import ComplianceSnapshot, ComplianceStatus, ComplianceStatusChange, Status
from tests.factories import RequirementFactory, TargetFactory, TrustFactory

pytestmark = pytest.mark.django_db


def test_recompute_one_trust_against_one_target_stores_todays_status():
    target = TargetFactory(code="core-test", start_date=datetime.date(2020, 1, 1), deadline=datetime.date(2023, 12, 31))
    RequirementFactory(target=target)
    _trust, other = TrustFactory(ods_code="T1A"), TrustFactory()
    out = StringIO()

    call_command("recompute_compliance", "--trust", "t1a", "--target", "core-test", stdout=out)

    assert ComplianceStatus.objects.get().status == Status.OVERDUE
    assert not ComplianceStatus.objects.filter(trust=other).exists()
    assert f"Computed 1 statuses as of {timezone.localdate()}; 1 changed." in out.getvalue()


def test_recompute_as_of_a_past_date_prints_the_statuses_and_stores_nothing():
    target = TargetFactory(code="core-test", start_date=datetime.date(2020, 1, 1), deadline=datetime.date(2023, 12, 31))
    RequirementFactory(target=target)
    TrustFactory(ods_code="T1A")
    call_command("recompute_compliance", stdout=StringIO())  # today's record: overdue
    stored = list(ComplianceStatus.objects.values())
    history = list(ComplianceStatusChange.objects.values())
    snapshots = list(ComplianceSnapshot.objects.values())
    out = StringIO()

    call_command("recompute_compliance", "--trust", "T1A", "--target", "core-test", "--as-of", "2021-06-30", stdout=out)

    assert "T1A\tcore-test\tat_risk\t0 of 1 requirements met" in out.getvalue()
    assert "Computed 1 statuses as of 2021-06-30; nothing stored" in out.getvalue()
    assert list(ComplianceStatus.objects.values()) == stored
    assert list(ComplianceStatusChange.objects.values()) == history
    assert list(ComplianceSnapshot.objects.values()) == snapshots
    assert not ComplianceSnapshot.objects.filter(as_of=datetime.date(2021, 6, 30)).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--trust", "T9Z"], "No trust with ODS code 'T9Z'"),
        (["--target", "nope"], "No target with code 'nope'"),
        (["--as-of", "31/12/2023"], "'31/12/2023' is not a date: use YYYY-MM-DD."),
    ],
)
def test_recompute_refuses_unknown_trust_target_or_date(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("recompute_compliance", *args)


def test_backfill_fills_month_ends_since_a_date():
    TrustFactory()
    call_command("backfill_compliance_history", "--since", "2024-01-15", stdout=StringIO())
    days = set(ComplianceSnapshot.objects.values_list("as_of", flat=True))
    assert datetime.date(2024, 1, 31) in days and datetime.date(2024, 2, 29) in days
    assert min(days) == datetime.date(2024, 1, 31)


def test_backfill_refuses_a_future_date():
    with pytest.raises(CommandError, match="in the future"):
        call_command("backfill_compliance_history", "--since", "2999-01-01")
