"""First chart drawn: how long after navigation Debian's chromium has drawn the first Plotly chart of
each dashboard, on a cold browser cache, measured with the browser's own performance timings.

It loads the national-scale dashboards data (real trusts, SYNTHETIC history; bench/dashboards/)
into a database of its own, serves it with gunicorn under production settings (DEBUG off, static
files from whitenoise's compressed manifest storage), and for each page opens a fresh browser
context (an empty cache) with a signed-in session cookie. A script added before the page's own
records performance.now() (milliseconds since navigation started) when the first chart's SVG
appears; navigation timings (first byte, DOMContentLoaded, load) and what the static files cost
over the wire come from the Navigation and Resource Timing APIs. Loopback network, no throttling.
Results in bench/results/first_chart.json.

    python -m bench.first_chart [--samples 5]
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
from pathlib import Path

from bench.common.results import load_average, results_write
from bench.common.servers import HOST, PROJECT
from bench.dashboards.measure import get
from bench.dashboards.scale import cookie_header, prepare, serving

RESULTS = PROJECT / "bench" / "results" / "first_chart.json"
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/digitrack_bench_first_chart"
AIM_MS = 1500
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Runs before any of the page's scripts: the moments plotly.js has run (window.Plotly is set) and
# the first chart's SVG is in the document.
FIRST_CHART_PROBE = """
window.__firstChart = null;
window.__plotlyReady = null;
Object.defineProperty(window, 'Plotly', {configurable: true, set(value) {
  window.__plotlyReady = performance.now();
  Object.defineProperty(window, 'Plotly', {value: value, writable: true, configurable: true});
}});
new MutationObserver((records, observer) => {
  if (document.querySelector('.digitrack-chart .main-svg, [data-figure] .main-svg')) {
    window.__firstChart = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
UNFOLDED_CHART = "() => [...document.querySelectorAll('[data-figure]')].some(e => !e.closest('details:not([open])'))"
TIMINGS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const statics = performance.getEntriesByType('resource').filter(r => r.name.includes('/static/'));
  const plotly = statics.find(r => r.name.includes('plotly'));
  return {
    first_chart_ms: window.__firstChart,
    plotly_ready_ms: window.__plotlyReady,
    first_byte_ms: nav.responseStart,
    dom_content_loaded_ms: nav.domContentLoadedEventEnd,
    load_ms: nav.loadEventEnd,
    html_transfer_bytes: nav.transferSize,
    static_transfer_bytes: statics.reduce((sum, r) => sum + r.transferSize, 0),
    static_decoded_bytes: statics.reduce((sum, r) => sum + r.decodedBodySize, 0),
    plotly_transfer_bytes: plotly ? plotly.transferSize : null,
    plotly_decoded_bytes: plotly ? plotly.decodedBodySize : null,
    plotly_ms: plotly ? plotly.responseEnd - plotly.startTime : null,
  };
}"""


def measure(browser, base: str, path: str, cookies: dict[str, str]) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # a new, empty cache
    try:
        context.add_cookies([{"name": name, "value": value, "url": base} for name, value in cookies.items()])
        context.add_init_script(FIRST_CHART_PROBE)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        response = page.goto(base + path)
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state("load")
        if not page.evaluate(UNFOLDED_CHART):
            # Every chart is in a closed panel (a region's), drawn when the reader opens it.
            return {**page.evaluate(TIMINGS), "first_chart_ms": None, "charts_folded": True}
        # Polled from here: a predicate waited for in the page would need eval, which the CSP forbids.
        for _ in range(300):
            if page.evaluate("() => window.__firstChart") is not None:
                break
            page.wait_for_timeout(100)
        else:
            raise RuntimeError(f"{path}: no chart drawn in 30 s; page errors: {errors}")
        timings = page.evaluate(TIMINGS)
        if errors:
            raise RuntimeError(f"{path}: {errors}")
        return {key: round(value, 1) if isinstance(value, float) else value for key, value in timings.items()}
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=5, help="cold-cache loads per page (default %(default)s)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    # The dashboards bench's database, data and server, in a database of this bench's own.
    os.environ.setdefault("BENCH_DATABASE_URL", DATABASE_URL)
    loaded = prepare("national")
    pages = {
        "national": "/",
        "region": f"/regions/{loaded['region']}/",
        "trust": f"/trusts/{loaded['trust']}/",
    }
    results = {}
    with serving("national", cookie_header(loaded["cookies"])) as port, sync_playwright() as playwright:
        base = f"http://{HOST}:{port}"
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            for name, path in pages.items():
                get(port, path, cookie_header(loaded["cookies"]))  # the server's page cache warm: the browser's is not
                samples = [measure(browser, base, path, loaded["cookies"]) for _ in range(args.samples)]
                first = [sample["first_chart_ms"] for sample in samples if sample["first_chart_ms"] is not None]
                if not first:
                    results[name] = {
                        "path": path,
                        "note": "every chart is folded: none drawn on load",
                        "samples": samples,
                    }
                    print(f"{name:9} every chart folded, none drawn on load")
                    continue
                results[name] = {
                    "path": path,
                    "first_chart_median_ms": round(statistics.median(first), 1),
                    "first_chart_max_ms": max(first),
                    "under_aim": max(first) < AIM_MS,
                    "samples": samples,
                }
                print(f"{name:9} first chart median {statistics.median(first):7.1f} ms, max {max(first):7.1f} ms")
        finally:
            browser.close()
    report = {
        "benchmark": "first chart drawn",
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "browser": f"{CHROMIUM} (headless, 1280x800, new context per load: cold browser cache)",
            "load_average": load_average(),
        },
        "server": "gunicorn, 2 sync workers, DEBUG off, whitenoise CompressedManifestStaticFilesStorage",
        "network": "loopback, no throttling",
        "aim_ms": AIM_MS,
        "dataset": loaded["dataset"],
        "results": results,
    }
    results_write(args.output, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
