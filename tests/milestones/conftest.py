"""Fixtures shared by the milestones tests."""

import datetime

import pytest
from django.utils import timezone

from milestones.services.compliance import statuses_recompute
from milestones.services.register import ods_import_apply
from milestones.services.sources import dspt_file_import
from tests.factories import EvidenceSubmissionFactory, RequirementFactory, TargetFactory, TrustFactory
from trusts import services as trust_services


@pytest.fixture
def register(db):
    """The real ODS trust register (trusts/data/etr.csv) loaded, as `manage.py import_ods` loads it."""
    ods_import_apply(extract=trust_services.DATA_DIR / "etr.csv")


@pytest.fixture
def target(db):
    """A target from 2020 to the end of 2024 with two requirements."""
    target = TargetFactory(start_date=datetime.date(2020, 1, 1), deadline=datetime.date(2024, 12, 31))
    RequirementFactory.create_batch(2, target=target)
    return target


@pytest.fixture
def pending(db):
    """A trust overdue on a one-requirement target, with one submission awaiting review."""
    target = TargetFactory(start_date=datetime.date(2020, 1, 1), deadline=datetime.date(2024, 12, 31))
    trust = TrustFactory()
    submission = EvidenceSubmissionFactory(trust=trust, requirement=RequirementFactory(target=target))
    statuses_recompute(trusts=[trust], targets=[target], as_of=timezone.localdate())
    return submission


@pytest.fixture
def refused_deadline_move(client, superuser):
    """Posts an admin change form as the superuser, checking that it is refused for want of a reason
    (DeadlineChangeForm): the form again, saying so."""
    client.force_login(superuser)

    def post(url: str, form: dict) -> None:
        page = client.post(url, form)
        assert page.status_code == 200
        assert "Give a reason for changing the deadline." in page.content.decode()

    return post


@pytest.fixture
def import_dspt_csv(tmp_path):
    """Imports DSPT CSV text from a file of the given name, as at a day; returns the import's summary."""

    def import_text(name: str, text: str, as_at: datetime.date):
        path = tmp_path / name
        path.write_text(text)
        return dspt_file_import(path=path, as_at=as_at)

    return import_text
