"""static/css/plotly.css holds exactly the style rules the plotly.js bundle in static/ would inject."""

from pathlib import Path

import pytest

from dashboards.charts.styles import plotly_bundle, plotly_global_css

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_stylesheet_matches_the_bundle_the_pages_load():
    bundle = plotly_bundle(STATIC).read_text()

    assert (STATIC / "css" / "plotly.css").read_text() == plotly_global_css(bundle), (
        "plotly.js changed: run `make assets` (or the plotly.css line of it) again"
    )


def test_rules_are_expanded_and_unescaped():
    bundle = """x={"X,X div":'font-family:"Open Sans";',"Y .close":"color:#fff;"};for(k in x)"""

    assert plotly_global_css(bundle).splitlines()[1:] == [
        '.js-plotly-plot .plotly,.js-plotly-plot .plotly div{font-family:"Open Sans";}',
        ".plotly-notifier .close{color:#fff;}",
    ]


def test_a_file_without_the_rules_is_refused():
    with pytest.raises(ValueError, match="plotly.js bundle"):
        plotly_global_css("console.log('not plotly')")
