"""seed_demo: reproducible, labelled demo data on the real trusts (milestones/services/demo.py)."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from milestones.models import EvidenceSubmission, ReviewState
from milestones.services.demo import DEMO_PASSWORD, demo_seed
from tests.factories import UserFactory
from trusts.models import Trust

User = get_user_model()


def _fingerprint():
    return [
        (
            s.trust.ods_code,
            s.requirement.code,
            s.state,
            s.submitted_at,
            s.reviewed_at,
            s.valid_until,
            s.sha256,
            s.submitted_by.username,
            s.reviewed_by.username if s.reviewed_by else None,
        )
        for s in EvidenceSubmission.objects.select_related(
            "trust", "requirement", "submitted_by", "reviewed_by"
        ).order_by("trust__ods_code", "requirement__code", "submitted_at")
    ]


def _remove_demo():
    EvidenceSubmission.objects.all().delete()
    User.objects.filter(username__startswith="demo-").delete()


def test_same_seed_gives_the_same_demo_data(register):
    demo_seed(seed=7)
    first = _fingerprint()
    cios = sorted(Trust.objects.filter(cio_users__username__startswith="demo-cio-").values_list("ods_code", flat=True))
    _remove_demo()

    demo_seed(seed=7)

    assert _fingerprint() == first
    assert (
        sorted(Trust.objects.filter(cio_users__username__startswith="demo-").values_list("ods_code", flat=True)) == cios
    )


def test_demo_data_is_labelled_and_spread_over_states_and_years(register, settings):
    summary = demo_seed()

    submissions = EvidenceSubmission.objects.select_related("requirement")
    assert submissions.count() > 500
    assert all(s.summary.startswith("[Demo] ") for s in submissions)
    assert not submissions.exclude(requirement__national_data_rule="").exists()
    assert {s.state for s in submissions} == set(ReviewState.values)
    assert submissions.filter(valid_until__isnull=False).exists()
    assert {s.submitted_at.year for s in submissions} >= set(range(2019, 2027))
    # Demo reviews are history: the review-email resend leaves them alone.
    assert not submissions.filter(reviewed_at__isnull=False, review_emailed_at__isnull=True).exists()
    assert all(name.startswith("demo-") for name, _ in summary.users)
    assert User.objects.filter(username="demo-admin", is_superuser=True).exists()
    assert User.objects.get(username="demo-programme-1").groups.filter(name="Programme staff").exists()
    assert User.objects.get(username="demo-admin").check_password(DEMO_PASSWORD)

    stored = submissions.first()
    content = (Path(settings.MEDIA_ROOT) / stored.file.name).read_bytes()
    assert content.startswith(b"%PDF-") and b"DEMO EVIDENCE" in content


def test_demo_cios_are_linked_to_real_open_trusts(register):
    demo_seed()
    cios = User.objects.filter(username__startswith="demo-cio-")
    assert cios.count() == 5
    for cio in cios:
        trust = cio.cio_trusts.get()
        assert trust.closed_on is None
        assert cio.username == f"demo-cio-{trust.ods_code.lower()}"
        assert cio.groups.filter(name="Trust CIO").exists()


def test_second_run_adds_nothing_and_real_data_is_untouched(register):
    real_user = UserFactory(username="jane.smith", password="x" * 20)
    trusts_before = list(Trust.objects.order_by("pk").values())
    demo_seed()
    count = EvidenceSubmission.objects.count()

    assert demo_seed().created is False

    assert EvidenceSubmission.objects.count() == count
    assert list(Trust.objects.order_by("pk").values()) == trusts_before
    real_user.refresh_from_db()
    assert real_user.check_password("x" * 20) and not real_user.groups.exists()


def test_command_needs_the_register_and_refuses_production(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="import_ods"):
        call_command("seed_demo")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
