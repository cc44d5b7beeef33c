"""Each word of the product's vocabulary is defined once and the pages use that definition:
status labels, review and evidence states with their colours, the view-every-trust permission."""

import re
from pathlib import Path

from django.conf import settings

from dashboards.charts import status as status_charts
from milestones import labels
from milestones.models import EvidenceState, ReviewState, Status

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted((ROOT / "templates").rglob("*.jinja"))
CODE = sorted(
    path
    for app in ("digitrack", "dashboards", "milestones", "trusts")
    for path in (ROOT / app).rglob("*.py")
    if "migrations" not in path.parts
)
# A colour given to a review state by name, as {"approved": "green"} would.
STATE_COLOUR = re.compile(r"""["'](?:%s)["']\s*:\s*["'](?:blue|green|red|grey|yellow|orange|purple|white)["']""")


def test_charts_label_statuses_with_the_presenters_words():
    assert status_charts.STATUS_LABELS is labels.STATUS_LABELS


def test_every_review_state_has_its_one_colour():
    assert set(labels.REVIEW_STATE_COLOURS) == set(ReviewState.values)
    for state in ReviewState.values:
        assert labels.submission_tag(state)["colour"] == labels.REVIEW_STATE_COLOURS[state]


def test_no_template_colours_a_review_state_itself():
    pattern = re.compile(STATE_COLOUR.pattern % "|".join(ReviewState.values))
    assert [str(path) for path in TEMPLATES if pattern.search(path.read_text(encoding="utf-8"))] == []


def test_every_evidence_state_has_its_one_tag():
    assert set(labels.EVIDENCE_STATE_COLOURS) == set(EvidenceState.values)
    for state in EvidenceState:
        assert labels.evidence_tag(state) == {"text": state.label, "colour": labels.EVIDENCE_STATE_COLOURS[state]}


def test_no_template_names_an_evidence_state_itself():
    # "no_current_data" is a compliance status too, which pages may count by name.
    states = "|".join(sorted(set(EvidenceState.values) - set(Status.values)))
    colour = re.compile(STATE_COLOUR.pattern % states)
    listed = re.compile(rf"""[(\[]\s*["'](?:{states})["']\s*,""")
    assert [
        str(path)
        for path in TEMPLATES
        if colour.search(text := path.read_text(encoding="utf-8")) or listed.search(text)
    ] == []


def test_the_view_every_trust_permission_is_named_once():
    named = [
        str(path.relative_to(ROOT))
        for path in [*TEMPLATES, *CODE]
        if "view_all_trusts" in path.read_text(encoding="utf-8")
    ]
    assert named == ["trusts/models.py"]


def test_a_long_date_is_written_one_way():
    long_date_formats = re.compile(r"""%-d %B %Y|["']j F Y["']|\.day\} \{[a-z_.]+:%B %Y\}""")
    written = [
        str(path.relative_to(ROOT)) for path in CODE if long_date_formats.search(path.read_text(encoding="utf-8"))
    ]
    assert written == ["digitrack/dates.py"]
