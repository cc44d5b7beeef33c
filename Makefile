# DigiTrack. `make run` tries it on the embedded default; `make test` runs the suite
# against PostgreSQL and Redis (see README).
#
# With a virtualenv active, everything installs into and runs from it; with none, make creates
# .venv (Python 3.11 to 3.13) and uses that, so a fresh clone needs only `make run` or `make test`.
ifdef VIRTUAL_ENV
ENV_DIR := $(VIRTUAL_ENV)
else
ENV_DIR := .venv
endif
PYTHON ?= $(ENV_DIR)/bin/python
BOOTSTRAP_PYTHON ?= python3
NHSUK_FRONTEND_VERSION := 10.6.1
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/digitrack
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
PORT ?= 8000
# The suite runs in this many processes (pytest-xdist), each with its own test database and, by
# tests/parallel.py, its own Redis database below TEST_REDIS_URL's.
TEST_WORKERS ?= 2
BENCH_DURATION ?= 60
BENCH_CONCURRENCY ?= 20

.PHONY: install lint published-data run run-published test test-py313 assets bench bench-recompute bench-load bench-smoke bench-dashboards bench-import bench-first-chart

install: $(ENV_DIR)/.digitrack-installed

$(ENV_DIR)/bin/python:
	$(BOOTSTRAP_PYTHON) -m venv $(ENV_DIR)

# Reinstalled when pyproject.toml changes.
$(ENV_DIR)/.digitrack-installed: pyproject.toml | $(ENV_DIR)/bin/python
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

lint: install
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .

# What both run targets start from: the database migrated and every published file loaded.
published-data: install
	$(PYTHON) manage.py migrate --no-input
	$(PYTHON) manage.py load_published_data

run: published-data
	$(PYTHON) manage.py seed_demo
	$(PYTHON) manage.py backfill_compliance_history --since 2019-01-01
	@echo "DigiTrack is running: open http://127.0.0.1:$(PORT)/ (demo users are listed above)"
	$(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

# The real picture from published data alone: no demo users or evidence. Sign in as a user of your
# own (python manage.py createsuperuser first).
run-published: published-data
	$(PYTHON) manage.py recompute_compliance
	$(PYTHON) manage.py backfill_compliance_history --since 2019-01-01
	@echo "DigiTrack is running on published data only: open http://127.0.0.1:$(PORT)/"
	$(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

test: install
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PYTHON) -m pytest -p tests.parallel -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The project supports Python 3.11 to 3.13: the suite's core again on 3.13, in its own .venv-3.13
# (CI runs it after the suite; PYTHON313 names the interpreter).
PYTHON313 ?= python3.13
PY313_TESTS ?= tests/test_app_boundaries.py tests/milestones/test_rules.py tests/milestones/test_rules_national.py \
	tests/milestones/test_forecast.py tests/dashboards/test_charts.py tests/dashboards/test_pages.py \
	tests/milestones/test_evidence_upload.py tests/milestones/test_tasks.py tests/milestones/test_source_importers.py
test-py313:
	$(MAKE) test ENV_DIR=.venv-3.13 BOOTSTRAP_PYTHON=$(PYTHON313) PYTEST_ARGS="$(PY313_TESTS)"

# Rebuild the committed design-system assets from the npm package (needs Node only here).
assets:
	rm -rf /tmp/digitrack-assets && mkdir -p /tmp/digitrack-assets
	cd /tmp/digitrack-assets && npm install --no-save --silent nhsuk-frontend@$(NHSUK_FRONTEND_VERSION)
	rm -rf static/nhsuk && mkdir -p static/nhsuk
	cp -r /tmp/digitrack-assets/node_modules/nhsuk-frontend/dist/nhsuk/assets static/nhsuk/assets
	cp /tmp/digitrack-assets/node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js static/nhsuk/
	# Frutiger is licensed for nhs.uk only and would come from a CDN: drop it (Arial is the fallback),
	# and point the icons at the copied assets.
	$(PYTHON) -c "import re,sys; css=open(sys.argv[1]).read(); css=re.sub(r'@font-face\{[^}]*\}','',css); css=css.replace('url(/assets/','url(assets/'); css=re.sub(r'/\*# sourceMappingURL=.*?\*/','',css); open(sys.argv[2],'w').write(css)" /tmp/digitrack-assets/node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css static/nhsuk/nhsuk-frontend.min.css
	sed -i 's|//# sourceMappingURL=.*||' static/nhsuk/nhsuk-frontend.min.js
	# plotly.js with only the traces the charts draw (bar and heatmap; scatter is in its core), at the
	# version the installed plotly package bundles and writes its figures for: 1.2 MB where the
	# cartesian bundle was 1.5 (and the full one 4.8), and a third of its time to start in the browser
	# (no calendars, pie, box, violin, contour...), which was most of the time to the first chart.
	# tests/test_assets.py fails when a chart uses a trace not registered here.
	version=$$($(PYTHON) -c "import plotly,os,re;print(re.search(r'plotly\.js v(\S+)',open(os.path.join(os.path.dirname(plotly.__file__),'package_data','plotly.min.js')).read(300)).group(1))") && \
		cd /tmp/digitrack-assets && npm install --no-save --silent esbuild@0.28.2 plotly.js@$$version
	cd /tmp/digitrack-assets && printf '%s\n' "var Plotly = require('plotly.js/lib/core');" "Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap')]);" "module.exports = Plotly;" > charts.js
	cd /tmp/digitrack-assets && npx esbuild charts.js --bundle --minify --format=iife --global-name=Plotly --target=es2016 \
		--define:global=window --define:define.amd=false --loader:.css=empty --log-level=warning \
		--banner:js="/*** plotly.js (cartesian: bar, heatmap, scatter - minified) v$$(node -p "require('plotly.js/package.json').version") * Copyright 2012-2026, Plotly, Inc. * All rights reserved. * Licensed under the MIT license */" \
		--outfile=$(CURDIR)/static/js/plotly-cartesian.min.js
	# Its style rules as a stylesheet, so the pages need no inline styles (dashboards/charts/styles.py).
	DJANGO_SETTINGS_MODULE=digitrack.settings $(PYTHON) -c "import django; django.setup(); from pathlib import Path; from dashboards.charts.styles import plotly_bundle, plotly_global_css; Path('static/css/plotly.css').write_text(plotly_global_css(plotly_bundle(Path('static')).read_text()))"

# Compliance engine at national and tenfold scale, in a database of its own (dropped and re-created).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/digitrack_bench
bench-recompute:
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(PYTHON) -m bench.recompute

# Load and faults (bench/load/): private PostgreSQL and Redis on loopback, gunicorn, two workers;
# uploads, reviews and dashboards while a worker is killed, Redis stops and PostgreSQL restarts.
bench-load:
	$(PYTHON) -m bench.load --duration $(BENCH_DURATION) --concurrency $(BENCH_CONCURRENCY)

# The short version CI runs: 10 s at concurrency 5.
bench-smoke:
	$(PYTHON) -m bench.load --duration 10 --concurrency 5 --output bench/results/load-smoke.json

# Dashboards and the API under gunicorn (2 workers), driven by wrk at -c20 beside the signed-in
# /healthz, at national and tenfold scale (bench/dashboards/): real trusts, synthetic history.
BENCH_DASHBOARDS_DURATION ?= 15
bench-dashboards:
	$(PYTHON) -m bench.dashboards --duration $(BENCH_DASHBOARDS_DURATION)

# First chart drawn in Debian chromium on a cold browser cache (bench/first_chart.py), production
# static files; the browser's own performance timings.
bench-first-chart:
	$(PYTHON) -m bench.first_chart

# Importing an unseen national DSPT snapshot (bench/import_dspt.py): 50,000 organisations of every
# kind as CSV and XLSX, against the real register, in a database of its own; aim under 30 s.
bench-import:
	BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/digitrack_bench_import $(PYTHON) -m bench.import_dspt
