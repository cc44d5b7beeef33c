"""Where a dashboard request's time goes: each page in-process (Django's test client, one request
at a time), warm and cold (the cache generation bumped first), with its queries, the time they
took and pyinstrument's samples grouped by what ran (templates, SQL, charts, Django, ...).

Run it against a database the dashboards bench has loaded (python -m bench.dashboards --load-scale):

    DATABASE_URL=... REDIS_URL=... python -m bench.profile_dashboards --trust G6V2S --output bench/results/dashboards-profile.json
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from bench.dashboards.scale import dashboard_pages

# The dashboards bench's pages profiled here, in its region Y56.
PROFILED = ("healthz", "national", "national_filtered", "national_as_of", "region", "trust", "api")
# A frame's file, by the first of these fragments in its path, names what it was doing.
CATEGORIES = [
    ("SQL (psycopg and the database)", ("psycopg", "django/db/backends", "psycopg_pool")),
    ("ORM (query building, model rows)", ("django/db/models", "django/db/utils")),
    ("templates (Jinja2 and the NHS.UK macros)", ("jinja2/", ".jinja", "nhsuk_frontend_jinja", "markupsafe")),
    ("charts (plotly figures, JSON)", ("plotly", "dashboards/charts", "json/")),
    ("sessions, sign-in and permissions", ("contrib/sessions", "contrib/auth", "django_redis", "redis/")),
    ("other Django (middleware, URLs, responses)", ("django/",)),
    ("DigiTrack's own code", ("milestones/", "trusts/", "digitrack/")),
]


def category(path: str) -> str:
    for name, fragments in CATEGORIES:
        if any(fragment in path for fragment in fragments):
            return name
    if "/lib/python3" in path and "site-packages" not in path:
        return "Python's standard library (copy, re, json, ...)"
    return "other"


def self_times(frame, totals: Counter, parent_path: str = "") -> None:
    """Each frame's own time (its time less its children's) under its file's category; pyinstrument's
    synthetic frames ("[self]") have no file and count as their parent's."""
    path = frame.file_path or parent_path
    totals[category(path)] += frame.time - sum(child.time for child in frame.children)
    for child in frame.children:
        self_times(child, totals, path)


def measure(client, path: str, samples: int, cold: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from milestones.generation import dashboard_generation_bump

    client.get(path)
    durations, sql, queries = [], [], 0
    profiler = Profiler(interval=0.0005)
    for _ in range(samples):
        if cold:
            dashboard_generation_bump()
        with CaptureQueriesContext(connection) as captured:
            profiler.start()
            started = time.perf_counter()
            response = client.get(path)
            durations.append(time.perf_counter() - started)
            profiler.stop()
        assert response.status_code == 200, (path, response.status_code)
        queries = len(captured)
        sql.append(sum(float(query["time"]) for query in captured.captured_queries))
    totals: Counter = Counter()
    self_times(profiler.last_session.root_frame(), totals)
    everything = sum(totals.values()) or 1
    return {
        "median_ms": round(1000 * statistics.median(durations), 1),
        "queries": queries,
        "sql_ms": round(1000 * statistics.median(sql), 1),
        "share_by_what_ran": {name: round(value / everything, 3) for name, value in totals.most_common()},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trust", required=True, help="a trust code in the database")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    # Production settings, as the dashboards bench serves them (collectstatic has run there).
    os.environ.update({"DEBUG": "False", "ALLOWED_HOSTS": "localhost", "SECURE_SSL_REDIRECT": "False"})
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitrack.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="bench-staff"))
    every = dashboard_pages("Y56", args.trust)
    pages = {name: every[name] for name in PROFILED}
    results = {}
    for name, path in pages.items():
        results[name] = {
            "path": path,
            "warm": measure(client, path, args.samples, cold=False),
            "cold": measure(client, path, max(5, args.samples // 4), cold=True),
        }
        print(name, json.dumps(results[name]), flush=True)
    args.output.write_text(json.dumps({"profile": "in-process, one request at a time", "pages": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
