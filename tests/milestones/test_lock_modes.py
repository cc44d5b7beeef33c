"""Writers that lock a row only to queue behind each other take FOR NO KEY UPDATE, never FOR UPDATE.

Django's foreign keys are checked when a transaction commits (PostgreSQL's deferred constraints),
each check taking a key-share lock on the row referred to; and every write bumps the dashboard
generation row as its last statement, holding it to its commit. A FOR UPDATE lock, which blocks a
key-share lock, on a row another writer refers to, taken by a transaction that then waits for the
generation row, deadlocks with that writer at its commit. A bench-smoke run hit it: a review of a
trust's evidence against an upload to the same trust, the review answered 503."""

import ast
import datetime
import threading
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from milestones.models import EvidenceSubmission, ReviewState, Target
from milestones.services import compliance, evidence, targets
from milestones.services.evidence import evidence_review, evidence_submit
from milestones.services.targets import target_update
from tests.factories import UserFactory
from trusts.models import Trust

from . import evidence_files as files

WAIT_SECONDS = 10
APPS = ("trusts", "milestones", "dashboards", "digitrack")
PROJECT = Path(__file__).resolve().parents[2]


def row_locks_without_no_key(source: str) -> list[int]:
    """The lines of `source` that call select_for_update without no_key=True."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "select_for_update"
        and not any(
            keyword.arg == "no_key" and isinstance(keyword.value, ast.Constant) and keyword.value.value is True
            for keyword in node.keywords
        )
    ]


def test_every_row_lock_of_the_apps_is_no_key_update():
    found = [
        f"{path.relative_to(PROJECT)}:{line}"
        for app in APPS
        for path in sorted((PROJECT / app).rglob("*.py"))
        for line in row_locks_without_no_key(path.read_text())
    ]
    assert found == []


def test_the_check_sees_a_for_update_lock():
    source = "a = Trust.objects.select_for_update().get(pk=1)\nb = Trust.objects.select_for_update(no_key=True)\n"
    assert row_locks_without_no_key(source) == [1]


def run_together(**jobs) -> list[BaseException]:
    """Run each job in a thread of its own (named as its keyword), with its own connection; the
    errors they raised."""
    errors: list[BaseException] = []

    def run(job):
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - surfaced by the caller's assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,), name=name) for name, job in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * WAIT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a job never finished"
    return errors


@pytest.fixture
def staff(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return UserFactory()


@pytest.mark.django_db(transaction=True)
def test_an_upload_and_a_review_of_the_same_trust_at_once_both_commit(pending, staff, monkeypatch):
    """The upload holds its trust (two uploads of one file must queue) and waits for the generation
    row; the review holds the generation row and, at its commit, checks its recompute request's
    foreign key to that trust."""
    upload_holds_trust, review_holds_generation = threading.Event(), threading.Event()
    announce = evidence.inputs_changed

    def interleaved(**kwargs):
        if threading.current_thread().name == "upload":
            upload_holds_trust.set()
            review_holds_generation.wait(WAIT_SECONDS)
            announce(**kwargs)  # bumps the generation: waits for the review's commit
        else:
            upload_holds_trust.wait(WAIT_SECONDS)
            announce(**kwargs)
            review_holds_generation.set()  # then commits, checking the foreign keys

    monkeypatch.setattr(evidence, "inputs_changed", interleaved)

    def upload():
        evidence_submit(
            trust=pending.trust,
            requirement=pending.requirement,
            upload=SimpleUploadedFile("plan.png", files.PNG),
            summary="Cyber plan",
            valid_until=None,
            submitted_by=pending.submitted_by,
        )

    def review():
        evidence_review(submission=pending, reviewer=staff, approve=True, comment="")

    errors = run_together(upload=upload, review=review)

    assert errors == []
    assert EvidenceSubmission.objects.get(pk=pending.pk).state == ReviewState.APPROVED
    assert EvidenceSubmission.objects.filter(trust=pending.trust, original_name="plan.png").exists()


@pytest.mark.django_db(transaction=True)
def test_moving_a_deadline_while_the_target_is_recomputed_lets_both_commit(pending, staff, monkeypatch):
    """The deadline move holds its target (two admins must queue) and waits for the generation row;
    the recompute holds the generation row and, at its commit, checks its statuses' foreign keys to
    that target."""
    target = Target.objects.get(pk=pending.requirement.target_id)
    move_holds_target, recompute_holds_generation = threading.Event(), threading.Event()
    announce, bump = targets.inputs_changed, compliance.dashboard_generation_bump

    def announce_when_the_recompute_has_bumped(**kwargs):
        move_holds_target.set()
        recompute_holds_generation.wait(WAIT_SECONDS)
        announce(**kwargs)  # bumps the generation: waits for the recompute's commit

    def bump_once_the_target_is_held(**kwargs):
        move_holds_target.wait(WAIT_SECONDS)
        bump(**kwargs)
        recompute_holds_generation.set()  # then commits, checking the foreign keys

    monkeypatch.setattr(targets, "inputs_changed", announce_when_the_recompute_has_bumped)
    monkeypatch.setattr(compliance, "dashboard_generation_bump", bump_once_the_target_is_held)
    saved_deadline = target.deadline

    def move():
        target.deadline = saved_deadline + datetime.timedelta(days=365)
        target_update(
            target=target,
            changed_fields=["deadline"],
            saved_deadline=saved_deadline,
            deadline_change_reason="Moved by the programme",
            revised_by=staff,
        )

    def recompute():
        compliance.statuses_recompute(
            trusts=Trust.objects.filter(pk=pending.trust_id),
            targets=Target.objects.filter(pk=target.pk),
            as_of=datetime.date(2024, 3, 5),
        )

    errors = run_together(move=move, recompute=recompute)

    assert errors == []
    assert Target.objects.get(pk=target.pk).deadline == saved_deadline + datetime.timedelta(days=365)
