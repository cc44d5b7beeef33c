"""Reminders end to end: the beat task records each due reminder in the outbox and queues the unsent
ones; each goes out once, day by day across deadlines, through a Redis outage and a mail server
that drops; opt-outs hold; the messages (plain text and HTML) link to their page."""

import datetime
import logging
import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from milestones.models import ComplianceStatusChange, Reminder, ReminderSettings, ReviewState, Status, Target
from milestones.tasks import send_reminders
from tests.factories import EvidenceSubmissionFactory, RequirementFactory, TargetFactory
from trusts.models import Region

START = datetime.date(2026, 1, 5)
LAPSES_ON_DAY = 88  # the evidence is valid to START + 88 days: 60 days to go on day 28
OUTAGE_DAYS = range(55, 63)  # Redis stopped across the 30-day reminder's day (58)
MAIL_DOWN_DAYS = range(80, 83)  # the mail server refuses across the 7-day reminder's day (81)


class DroppingBackend(BaseEmailBackend):
    """A mail server that drops the connection while `down` is set."""

    down = False

    def send_messages(self, email_messages):
        if DroppingBackend.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        from django.core import mail

        mail.outbox.extend(email_messages)
        return len(email_messages)


@pytest.fixture(autouse=True)
def only_this_tests_targets(people):
    """The targets the migrations seed have deadlines of their own (2026 among them): without
    them, only the reminders each test sets up are due."""
    Target.objects.exclude(pk=people.requirement.target_id).delete()
    people.requirement.target.deadline = datetime.date(2024, 12, 31)
    people.requirement.target.save()


@pytest.fixture
def expiring(people, settings):
    """CIO A's trust has approved evidence for a requirement, lapsing 88 days after START; the
    target's deadline is years away, so nothing else is due."""
    settings.SITE_URL = "https://digitrack.example.nhs.uk"
    target = TargetFactory(start_date=datetime.date(2020, 1, 1), deadline=datetime.date(2030, 3, 31))
    requirement = RequirementFactory(target=target, title="Board-approved cyber plan")
    return EvidenceSubmissionFactory(
        trust=people.trust_a,
        requirement=requirement,
        state=ReviewState.APPROVED,
        reviewed_at=timezone.now(),
        valid_until=START + datetime.timedelta(days=LAPSES_ON_DAY),
    )


def run_day(day: datetime.date):
    return send_reminders.apply(kwargs={"today": day.isoformat()})


def test_expiring_evidence_is_emailed_once_at_60_30_and_7_days_across_90_days_of_outages(
    people, expiring, settings, mailoutbox, broker_outage, redis_outage, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.DroppingBackend"
    # Redis up: a worker takes each queued task at once (eager stands for it).
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    sent_on = {}
    for offset in range(90):
        day = START + datetime.timedelta(days=offset)
        if offset == OUTAGE_DAYS.start:
            settings.CELERY_TASK_ALWAYS_EAGER = False  # tasks go to the broker, which is away
            broker_outage.start()
            redis_outage.start()
        if offset == OUTAGE_DAYS.stop:
            broker_outage.end()
            redis_outage.end()
            settings.CELERY_TASK_ALWAYS_EAGER = True
        DroppingBackend.down = offset in MAIL_DOWN_DAYS
        before = len(mailoutbox)
        with caplog.at_level(logging.WARNING):
            run_day(day)
        for email in mailoutbox[before:]:
            sent_on[email.subject] = offset

    assert [email.to for email in mailoutbox] == [["cio-a@example.nhs.uk"]] * 3
    # Each on its day, or as soon as Redis and the mail server were back.
    assert list(sent_on.values()) == [28, OUTAGE_DAYS.stop, MAIL_DOWN_DAYS.stop]
    assert [email.subject for email in mailoutbox] == [
        f"DigiTrack: evidence for {people.trust_a.ods_code} lapses in 60 days",
        f"DigiTrack: evidence for {people.trust_a.ods_code} lapses in 30 days",
        f"DigiTrack: evidence for {people.trust_a.ods_code} lapses in 7 days",
    ]
    assert "not queued" in caplog.text  # the outage was real: the queueing failed
    reminders = Reminder.objects.order_by("due_on")
    assert [(r.key.rsplit(":", 1)[1], r.due_on) for r in reminders] == [
        ("60", START + datetime.timedelta(days=28)),
        ("30", START + datetime.timedelta(days=58)),  # recorded on its day, with Redis away
        ("7", START + datetime.timedelta(days=81)),
    ]
    assert all(r.sent_at for r in reminders)


def test_evidence_already_expiring_in_30_days_gets_the_30_and_7_day_emails_and_no_backlog(
    people, expiring, settings, mailoutbox
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    expiring.valid_until = START + datetime.timedelta(days=30)
    expiring.save()
    sent_on = []
    for offset in range(90):
        before = len(mailoutbox)
        run_day(START + datetime.timedelta(days=offset))
        sent_on += [(offset, email.subject) for email in mailoutbox[before:]]
    code = people.trust_a.ods_code
    assert sent_on == [
        (0, f"DigiTrack: evidence for {code} lapses in 30 days"),
        (23, f"DigiTrack: evidence for {code} lapses in 7 days"),
    ]


def test_an_opted_out_cio_gets_no_reminder_of_that_kind(people, expiring, settings, mailoutbox):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ReminderSettings.objects.create(user=people.cio_a, opted_out=["expiring"])
    for offset in range(90):
        run_day(START + datetime.timedelta(days=offset))
    assert mailoutbox == [] and not Reminder.objects.exists()


def test_addresses_that_cannot_be_delivered_get_nothing(people, expiring, settings, mailoutbox):
    # The demo users' addresses end in .invalid, which no mail server delivers (RFC 2606).
    settings.CELERY_TASK_ALWAYS_EAGER = True
    people.cio_a.email = "demo-cio-a@example.invalid"
    people.cio_a.save()
    run_day(START + datetime.timedelta(days=28))
    assert mailoutbox == [] and not Reminder.objects.exists()


def test_the_message_links_to_its_page_in_plain_text_and_html(people, expiring, settings, mailoutbox):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    run_day(START + datetime.timedelta(days=28))

    [email] = mailoutbox
    upload = f"https://digitrack.example.nhs.uk/trusts/{people.trust_a.ods_code}/evidence/new/?requirement="
    assert f"{upload}{expiring.requirement_id}" in email.body
    assert "“Board-approved cyber plan” is valid until 3 April 2026." in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html"
    assert f'href="{upload}{expiring.requirement_id}"' in html and "#005eb8" in html
    assert "https://digitrack.example.nhs.uk/account/reminders/" in email.body


def test_missing_evidence_and_the_deadline_are_emailed_as_the_deadline_nears(people, settings, mailoutbox):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    deadline = START + datetime.timedelta(days=100)
    target = TargetFactory(start_date=datetime.date(2020, 1, 1), deadline=deadline, title="Core digitisation")
    RequirementFactory(target=target, title="EPR in use")
    for offset in range(101):
        run_day(START + datetime.timedelta(days=offset))

    subjects = [email.subject for email in mailoutbox]
    code = people.trust_a.ods_code
    assert [s for s in subjects if "missing" in s and code in s] == [
        f"DigiTrack: evidence missing for {code}, deadline in {days} days" for days in (90, 30, 7)
    ]
    assert [s for s in subjects if s.startswith("DigiTrack: Core digitisation deadline") and code in s] == [
        f"DigiTrack: Core digitisation deadline in {days} days for {code}" for days in (90, 30, 7)
    ]
    deadline_email = next(email for email in mailoutbox if "Core digitisation deadline in 7" in email.subject)
    assert f"/trusts/{code}/" in deadline_email.body
    # Trust B's CIO hears about trust B only.
    assert {tuple(email.to) for email in mailoutbox} == {("cio-a@example.nhs.uk",), ("cio-b@example.nhs.uk",)}


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def staff_digests(mailoutbox) -> list:
    return [email for email in mailoutbox if email.to == ["staff@example.nhs.uk"]]


def test_programme_staff_get_a_weekly_digest_per_region_they_follow(people, settings, mailoutbox):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    london = Region.objects.get(code=people.trust_a.region.code)
    ReminderSettings.objects.create(user=people.staff).regions.add(london)
    target = TargetFactory(deadline=datetime.date(2026, 1, 1))
    # In the week of Monday 23 November 2026: newly overdue on the Wednesday; a change that kept
    # it at risk on the Tuesday.
    for new_status, reason, day in [
        (Status.OVERDUE, "Deadline passed with 1 of 2 requirements met.", datetime.date(2026, 11, 25)),
        (Status.AT_RISK, "2 of 3 requirements met.", datetime.date(2026, 11, 24)),
    ]:
        ComplianceStatusChange.objects.create(
            trust=people.trust_a,
            target=target,
            old_status=Status.AT_RISK,
            new_status=new_status,
            reason=reason,
            changed_at=at_noon(day),
        )
    waiting = EvidenceSubmissionFactory(trust=people.trust_a, submitted_by=people.cio_a)
    waiting.submitted_at = at_noon(datetime.date(2026, 11, 17))  # 12 days waiting by the week's end
    waiting.save()

    for offset in range(7):  # Thursday 26 November to Wednesday 2 December
        run_day(datetime.date(2026, 11, 26) + datetime.timedelta(days=offset))

    [digest] = staff_digests(mailoutbox)  # the week before the 26th's had nothing to say
    assert Reminder.objects.get(kind="digest").due_on == datetime.date(2026, 11, 30)
    assert digest.subject == f"DigiTrack: the week in {london.name}"
    assert "What changed from Monday 23 November 2026 to Sunday 29 November 2026." in digest.body
    assert "Newly overdue\n- " + people.trust_a.display_name in digest.body
    assert "At risk to Overdue" in digest.body
    assert "2 of 3 requirements met" not in digest.body  # progress within a status is not a change
    assert f"{people.trust_a.display_name}: {waiting.requirement.title}" in digest.body
    assert f"/regions/{london.code}/" in digest.body


def test_a_week_is_reported_once_and_a_quiet_week_not_at_all(people, settings, mailoutbox):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    region = Region.objects.get(code=people.trust_a.region.code)
    ReminderSettings.objects.create(user=people.staff).regions.add(region)
    ComplianceStatusChange.objects.create(
        trust=people.trust_a,
        target=people.requirement.target,
        old_status=Status.AT_RISK,
        new_status=Status.MET,
        reason="Every requirement met.",
        changed_at=at_noon(datetime.date(2026, 11, 25)),  # a Wednesday
    )

    for offset in range(15):  # Monday 23 November to Monday 7 December, every day
        run_day(datetime.date(2026, 11, 23) + datetime.timedelta(days=offset))

    # The weeks of 16 and 30 November were quiet; the week of the change is reported once, on the
    # Monday after it, although every later day's run could see the change too.
    [digest] = staff_digests(mailoutbox)
    assert Reminder.objects.get(kind="digest").due_on == datetime.date(2026, 11, 30)
    assert f"{people.trust_a.display_name}, {people.requirement.target.title}: At risk to Met" in digest.body


def test_the_settings_page_saves_opt_outs_and_follows(client, people):
    client.force_login(people.staff)
    page = client.get(reverse("milestones:reminder_settings")).content.decode()
    assert "A weekly digest for each region and ICB you follow, in a week when something happened" in page
    assert "Evidence still missing" not in page  # staff are no trust's CIO

    response = client.post(reverse("milestones:reminder_settings"), {"regions": ["Y56", "Y63"]})
    assert response.status_code == 302
    saved = ReminderSettings.objects.get(user=people.staff)
    assert saved.opted_out == ["digest"]
    assert sorted(saved.regions.values_list("code", flat=True)) == ["Y56", "Y63"]

    client.force_login(people.cio_a)
    page = client.get(reverse("milestones:reminder_settings")).content.decode()
    assert "Evidence still missing" in page and "Regions to follow" not in page
    client.post(reverse("milestones:reminder_settings"), {"kinds": ["missing", "deadline"]})
    assert sorted(ReminderSettings.objects.get(user=people.cio_a).opted_out) == ["expiring", "rejected"]


def test_unticking_every_box_is_saved_too(client, people):
    ReminderSettings.objects.create(user=people.staff).regions.add(Region.objects.get(code="Y56"))
    client.force_login(people.staff)
    assert client.post(reverse("milestones:reminder_settings"), {}).status_code == 302
    saved = ReminderSettings.objects.get(user=people.staff)
    assert saved.opted_out == ["digest"] and not saved.regions.exists()


def test_the_settings_page_is_for_signed_in_people_only(client):
    response = client.get(reverse("milestones:reminder_settings"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_beat_sends_the_reminders_to_a_task_that_exists(settings):
    from digitrack.celery import app

    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("send_reminders")]
    assert entry["task"] in app.tasks
