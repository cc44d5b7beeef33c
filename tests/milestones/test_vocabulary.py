"""Each word of the product's vocabulary is defined once and the pages use that definition: status,
review, evidence and DSPT labels with their colours, date formats, and permission names. The
source checks read every template and every module of the apps (migrations aside), and each
pattern is shown to find what it looks for."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from dashboards.charts import status as status_charts
from milestones import labels, rules
from milestones.models import DsptStatus, EvidenceState, ReviewState, Status
from trusts.models import ICB_NOT_KNOWN, NO_ICB

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(path for path in (ROOT / "templates").rglob("*") if path.suffix in (".jinja", ".html"))
CODE = sorted(
    path
    for app in ("digitrack", "dashboards", "milestones", "trusts")
    for path in (ROOT / app).rglob("*.py")
    if "migrations" not in path.parts
)
# A colour given to a review state by name, as {"approved": "green"} would.
STATE_COLOUR = re.compile(r"""["'](?:%s)["']\s*:\s*["'](?:blue|green|red|grey|yellow|orange|purple|white)["']""")

# A date written in a format of its own: a month or day name in strftime's or Plotly's (d3) syntax,
# a Django date format ("j F Y", "F Y", "M Y" ...), a template's date filter given a format, or
# format_date given one.
DATE_FORMAT = re.compile(r"""%-?[aAbB]|["'](?:[jd] )?[FMN] Y(?:,? H:i)?["']|\|\s*date\s*\(|format_date\([^)]*,""")
# Where a date format may be written: the one definition, and the formats published files write
# their dates in (read, never shown).
DATE_FORMATS_DEFINED_IN = ["digitrack/dates.py", "milestones/importers/tables.py"]

# A label of a status, a review state, an evidence state or a DSPT status, as a string of its own.
# A summary list's row heading that says when something happened ("Withdrawn": the day) is not one.
LABELS = sorted({label for choices in (Status, ReviewState, EvidenceState, DsptStatus) for label in choices.labels})
SPELLED_LABEL = re.compile(r"""(?<!"key": \{"text": )["'](?:""" + "|".join(map(re.escape, LABELS)) + r""")["']""")
LABELS_DEFINED_IN = ["milestones/models/dspt.py", "milestones/models/evidence.py", "milestones/models/status.py"]

# A tag colour a template names itself, instead of taking it with its words from milestones.labels.
TAG_COLOUR = re.compile(r"""["'](?:red|yellow|green|blue|grey|white|orange|purple|pink|aqua-green)["']""")

# A trust's ICB where it has none, or where no file says which it was in on a day.
ICB_WORDS = re.compile(rf"""["'](?:{NO_ICB}|{ICB_NOT_KNOWN})["']""")

# Each permission's codename, and the module that defines it.
PERMISSIONS = {
    "view_all_trusts": "trusts/models.py",
    "review_evidencesubmission": "milestones/models/evidence.py",
    "submit_evidencesubmission": "milestones/models/evidence.py",
}


def spelled(pattern: re.Pattern, paths: list[Path]) -> list[str]:
    """The files, relative to the project, in which `pattern` occurs."""
    return [str(path.relative_to(ROOT)) for path in paths if pattern.search(path.read_text(encoding="utf-8"))]


def test_charts_label_statuses_with_the_presenters_words():
    assert status_charts.STATUS_LABELS is labels.STATUS_LABELS


def test_every_review_state_has_its_one_colour():
    assert set(labels.REVIEW_STATE_COLOURS) == set(ReviewState.values)
    for state in ReviewState.values:
        assert labels.submission_tag(state)["colour"] == labels.REVIEW_STATE_COLOURS[state]


def test_every_evidence_state_has_its_one_tag():
    assert set(labels.EVIDENCE_STATE_COLOURS) == set(EvidenceState.values)
    for state in EvidenceState:
        assert labels.evidence_tag(state) == {"text": state.label, "colour": labels.EVIDENCE_STATE_COLOURS[state]}


def test_every_dspt_status_has_its_one_tag_and_place_in_the_order():
    assert sorted(labels.DSPT_STATUS_ORDER) == sorted(DsptStatus.values)
    assert set(labels.DSPT_TAG_COLOURS) == set(DsptStatus.values)
    for status in DsptStatus:
        assert labels.dspt_tag(status) == {"text": status.label, "colour": labels.DSPT_TAG_COLOURS[status]}


def test_the_pure_rules_meet_the_dspt_with_the_models_statuses():
    # milestones.rules takes no models, so it names the two statuses itself: this keeps them one.
    assert {DsptStatus.STANDARDS_MET, DsptStatus.STANDARDS_EXCEEDED} == rules.DSPT_MEETING_STATUSES


def test_no_template_names_a_tag_colour():
    assert spelled(TAG_COLOUR, TEMPLATES) == []


def test_no_template_names_an_evidence_state_itself():
    # "no_current_data" is a compliance status too, which pages may count by name.
    states = "|".join(sorted(set(EvidenceState.values) - set(Status.values)))
    colour = re.compile(STATE_COLOUR.pattern % states)
    listed = re.compile(rf"""[(\[]\s*["'](?:{states})["']\s*,""")
    assert spelled(colour, TEMPLATES) == []
    assert spelled(listed, TEMPLATES) == []


def test_a_label_is_spelled_only_where_its_choices_are_defined():
    assert spelled(SPELLED_LABEL, [*TEMPLATES, *CODE]) == LABELS_DEFINED_IN


@pytest.mark.parametrize(("codename", "defined_in"), PERMISSIONS.items())
def test_each_permission_is_named_once(codename, defined_in):
    assert spelled(re.compile(codename), [*TEMPLATES, *CODE]) == [defined_in]


def test_a_trust_without_an_icb_is_worded_once():
    assert spelled(ICB_WORDS, [*TEMPLATES, *CODE]) == ["trusts/models.py"]


def test_a_date_format_is_written_only_in_digitrack_dates():
    assert spelled(DATE_FORMAT, [*TEMPLATES, *CODE]) == DATE_FORMATS_DEFINED_IN


@pytest.mark.parametrize(
    ("pattern", "line"),
    [
        (DATE_FORMAT, 'summary = f"At {months[-1]:%B %Y}: {latest}."'),
        (DATE_FORMAT, 'text=f"Deadline {deadline:%b %Y}",'),
        (DATE_FORMAT, 'hovertemplate="Announced %{x|%d %B %Y}"'),
        (DATE_FORMAT, 'return f"{day.day} {day:%b %Y}"'),
        (DATE_FORMAT, 'LONG = "j F Y"'),
        (DATE_FORMAT, "{{ submission.submitted_at | date('j M Y') }}"),
        (DATE_FORMAT, 'format_date(value, "F Y")'),
        (SPELLED_LABEL, '{% for label, targets in (("Overdue", row.overdue),) %}'),
        (SPELLED_LABEL, 'TODO_PENDING: ("Pending review", "blue"),'),
        (SPELLED_LABEL, 'status = "Standards Exceeded" if exceeded else "Standards Met"'),
        (TAG_COLOUR, '{{ tag({"text": "Includes demo data", "colour": "orange"}) }}'),
        (ICB_WORDS, '<p>DigiTrack holds no ICB for these trusts, so they are grouped under "ICB not known":</p>'),
    ],
)
def test_the_checks_find_what_they_look_for(pattern, line):
    assert pattern.search(line)


@pytest.mark.parametrize(
    ("pattern", "line"),
    [
        (DATE_FORMAT, 'input_formats=["%Y-%m-%d"],'),
        (DATE_FORMAT, 'f"{_pct(share)} by {month_year(day)}"'),
        (DATE_FORMAT, "{{ submission.valid_until | date }}"),
        (SPELLED_LABEL, '{"key": {"text": "Withdrawn"}, "value": {"text": submission.withdrawn_at | date_time}}'),
        (SPELLED_LABEL, '<h2 id="lagging">Overdue or with no current data</h2>'),
        (SPELLED_LABEL, 'if item.status == "met":'),
    ],
)
def test_the_checks_pass_what_they_allow(pattern, line):
    assert not pattern.search(line)
