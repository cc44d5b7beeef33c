"""The Jinja2 environment's memoized data table: the design system's markup, rendered once."""

import datetime

import pytest
from django.template import engines

from digitrack.tables import Table, table_params


@pytest.fixture
def env():
    return engines["jinja2"].env


def trend(met: int) -> Table:
    return Table("trend", "Trusts meeting each target", ["Month", "Met"], [["March 2024", met]], numeric=frozenset({1}))


def test_a_data_table_is_the_design_systems_table_rendered_once(env):
    params = table_params(trend(12))
    direct = env.from_string('{% from "nhsuk/components/tables/macro.jinja" import table %}{{ table(p) }}')

    first = env.globals["data_table"](params)
    assert str(first) == direct.render(p=params)
    assert 'class="nhsuk-table__cell nhsuk-table__cell--numeric"' in first
    assert env.globals["data_table"]({**params}) is first  # equal parameters: the same rendering


def test_a_changed_cell_renders_again(env):
    first, second = (env.globals["data_table"](table_params(trend(met))) for met in (12, 13))
    assert "</span>12" in first and "</span>13" in second


def test_parameters_that_are_not_plain_json_are_refused(env):
    with pytest.raises(TypeError):
        env.globals["data_table"]({"rows": [[{"text": datetime.date(2024, 3, 31)}]]})
