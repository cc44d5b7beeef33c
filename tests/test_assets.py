"""The committed static assets: plotly.js's partial bundle at the version the plotly package writes
figures for, able to draw every trace the charts make, and every asset a template names on disk."""

import ast
import re
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "static" / "js" / "plotly-cartesian.min.js"
# A trace module in the bundle declares itself so (`make assets` builds in bar and heatmap; scatter
# comes with plotly.js's core).
TRACE_MODULE = re.compile(r'moduleType:"trace",name:"(\w+)"')


def _version(header: str) -> str:
    return re.search(r"plotly\.js (?:\([^)]*\) )?v(\S+)", header).group(1)


def test_the_cartesian_bundle_is_the_plotly_js_the_python_package_bundles():
    bundled = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    header = BUNDLE.read_text()[:300]
    assert "(cartesian: bar, heatmap, scatter - minified)" in header
    assert _version(header) == _version(bundled.read_text()[:300])


def test_every_trace_the_charts_make_is_in_the_bundle():
    traces = set()
    for module in sorted((ROOT / "dashboards" / "charts").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "go":
                traces.add(node.attr.lower())
    traces -= {"figure", "layout"}
    bundled = set(TRACE_MODULE.findall(BUNDLE.read_text()))
    assert traces and traces <= bundled, traces - bundled


def test_every_static_file_a_template_names_exists():
    named = set()
    for template in (ROOT / "templates").rglob("*.jinja"):
        named |= set(re.findall(r"static\(['\"]([^'\"]+)['\"]\)", template.read_text()))
    assert named
    missing = sorted(name for name in named if not (ROOT / "static" / name).exists())
    assert missing == []
