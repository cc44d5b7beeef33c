"""Dashboard benchmark: every dashboard page and the API under gunicorn, driven by wrk at
concurrency 20, beside the signed-in /healthz (the floor) in the same run, at national and at
tenfold scale.

Each scale gets a database of its own (dropped and re-created each run): every real trust of the
ODS register (trusts/data/etr.csv) and, for tenfold, nine SYNTHETIC copies of each (codes Z0001...,
names "SYNTHETIC BENCH COPY n OF <code>"), then SYNTHETIC data for all of them, labelled so: five
years of month-end compliance snapshots, current statuses and their changes for every trust and
target, and evidence submissions whose summaries start "[Synthetic benchmark]" (no files).

For each scale it starts gunicorn (2 sync workers, production's worker class) on loopback with
production settings (DEBUG off), signs a programme staff user in, and for each URL in turn:
- warm: `wrk -c20` for --duration seconds after a warm-up, recording p50, p90, p99 and req/s;
  every response must be a 200 (the URL is checked first; a page that does not exist yet, such as
  a trust list before it is built, is reported as skipped);
- under changes: the same with the cache generation bumped every second (as any write does), so
  the slowest answers are those just after a change: its p99 against the warm p99;
- cold: one request at a time with the cache generation bumped before each, beside the same
  number of sequential warm requests: what one render costs against one cached answer.
Results, ratios to /healthz and the machine's details go to bench/results/dashboards.json.

    python -m bench.dashboards [--duration 15] [--scales national,tenfold]

Modules: history (the synthetic data, loaded in a child process with Django), scale (a scale's
database, server and run), measure (wrk and sequential requests), __main__ (aims and the report).
"""
