"""Plotly's own style rules as a static stylesheet, so its charts need no inline styles.

plotly.js injects its global rules (hover labels, notifier, cursors) into a <style> element it
creates, which a Content-Security-Policy without 'unsafe-inline' refuses. It skips that when the
page already has an element with id "plotly.js-style-global" and class "no-inline-styles": the
layout links static/css/plotly.css under that id, built from the bundle here by `make assets`.
"""

import json
import re
from pathlib import Path

# The rules object in the bundle: {"X,X div":'direction:ltr;...', ...}, where X stands for
# ".js-plotly-plot .plotly" and Y for ".plotly-notifier" (plotly.js src/css, build/plotcss.js).
_RULES = re.compile(r"""\{("X,X div":.*?)\};for\(""", re.DOTALL)
_RULE = re.compile(r"""(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'):(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def plotly_global_css(bundle: str) -> str:
    """The stylesheet of the global rules a plotly.js bundle would inject, in its order."""
    found = _RULES.search(bundle)
    if found is None:
        raise ValueError("No plotly.js style rules in this file: is it a plotly.js bundle?")
    lines = ["/* plotly.js's global style rules, from its bundle (dashboards/charts/styles.py). */"]
    for match in _RULE.finditer(found.group(1)):
        selector = _js_string(match.group(1), match.group(2))
        style = _js_string(match.group(3), match.group(4))
        selector = (
            re.sub(r"^,", " ,", selector).replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        )
        lines.append(f"{selector}{{{style}}}")
    return "\n".join(lines) + "\n"


def _js_string(double_quoted: str | None, single_quoted: str | None) -> str:
    if double_quoted is not None:
        return json.loads(f'"{double_quoted}"')
    return json.loads('"' + single_quoted.replace('"', '\\"').replace("\\'", "'") + '"')


def plotly_bundle(static_dir: Path) -> Path:
    """The one plotly.js bundle in static/js (full or partial, whichever the pages load)."""
    bundles = sorted(static_dir.glob("js/plotly*.min.js"))
    if len(bundles) != 1:
        raise ValueError(f"Expected one plotly.js bundle in {static_dir / 'js'}, found {len(bundles)}.")
    return bundles[0]
