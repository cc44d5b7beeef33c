"""Tables as plain values: the cells a page draws beyond text (links, a row's actions, tags, a
heading for screen readers only) and what the CSV writes for them."""

import datetime
import re

from django.template import engines

from digitrack.tables import Hidden, Link, Noted, Table, Tag, TagGroups, csv_value, table_params


def render(params: dict) -> str:
    return str(engines["jinja2"].env.globals["data_table"](params))


def evidence(*cells) -> Table:
    return Table("evidence", "Files", ["File", "State", Hidden("Actions")], [list(cells)])


def test_a_link_cell_is_the_table_macros_link_with_words_for_screen_readers():
    params = table_params(evidence(Link("Upload", "/new/?requirement=3", "evidence for Patching"), "", ""))

    assert params["rows"][0][0] == {
        "text": "Upload",
        "href": "/new/?requirement=3",
        "visuallyHiddenText": "evidence for Patching",
    }
    html = render(params)
    assert (
        '<a class="nhsuk-link" href="/new/?requirement=3">Upload<span class="nhsuk-u-visually-hidden"> evidence for Patching</span></a>'
        in html
    )


def test_a_rows_actions_are_links_side_by_side_and_a_tag_is_the_design_systems_tag():
    actions = [Link("Download", "/1/download/", "a.pdf"), Link("Withdraw", "/1/withdraw/", "a.pdf")]
    html = render(table_params(evidence("a.pdf", Tag("Pending review", "blue"), actions)))

    assert (
        '<a class="nhsuk-link" href="/1/download/">Download<span class="nhsuk-u-visually-hidden"> a.pdf</span></a> '
        '<a class="nhsuk-link digitrack-action-link" href="/1/withdraw/">Withdraw<span class="nhsuk-u-visually-hidden"> a.pdf</span></a>'
    ) in html
    assert re.search(r'<strong class="nhsuk-tag nhsuk-tag--blue"\s*>\s*Pending review\s*</strong>', html)


def test_a_noted_cell_puts_its_note_under_the_link_and_tag_groups_fold_their_reasons():
    trust = Noted(Link("Alpha Trust", "/trusts/T01/"), "Kent and Medway")
    targets = TagGroups(
        ((Tag("Overdue", "red"), ("Core", "Full")), (Tag("At risk", "yellow"), ("Cyber",))),
        (("Core, overdue", "no EPR"), ("Cyber, at risk", "DSPT not met")),
        "Alpha Trust is listed",
    )
    html = render(table_params(Table("attention", "Trusts", ["Trust", "Targets"], [[trust, targets]])))

    assert re.search(
        r'<a class="nhsuk-link" href="/trusts/T01/">Alpha Trust</a>\s*<br><span class="nhsuk-body-s '
        r'nhsuk-u-secondary-text-colour">Kent and Medway</span>',
        html,
    )
    overdue = html[html.index("Overdue:") : html.index("At risk:")]
    assert overdue.count("nhsuk-tag--red") == 2 and ">Core<" in overdue.replace("\n", "").replace(" ", "")
    assert "nhsuk-tag--yellow" in html[html.index("At risk:") :]
    folded = html[html.index("<details") : html.index("</details>")]
    assert 'Why<span class="nhsuk-u-visually-hidden"> Alpha Trust is listed</span>' in folded
    assert (
        "<strong>Core, overdue:</strong> no EPR" in folded and "<strong>Cyber, at risk:</strong> DSPT not met" in folded
    )


def test_a_hidden_heading_is_heard_not_seen():
    html = render(table_params(evidence("a.pdf", "", "")))

    assert re.search(r'scope="col"[^>]*>\s*<span class="nhsuk-u-visually-hidden">Actions</span>\s*</th>', html)


def test_a_narrow_table_can_stay_a_table_on_a_phone():
    table = Table("by-region", "By region", ["Region", "Pending"], [["London", 2]], numeric=frozenset({1}))

    assert table_params(table)["responsive"] is True
    table.responsive = False
    assert 'role="table"' not in render(table_params(table))


def test_the_csv_writes_a_cells_words():
    assert csv_value(Link("=cmd", "/x/")) == "'=cmd"
    assert csv_value(Tag("Approved", "green")) == "Approved"
    assert csv_value(Hidden("Actions")) == "Actions"
    assert csv_value(datetime.date(2024, 3, 31)) == "2024-03-31"
