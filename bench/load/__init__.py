"""Load and fault benchmark: CIOs upload, staff review, readers read, while parts fail.

Runs everything on loopback and stops by itself: a private PostgreSQL cluster (database
digitrack_load) and a private Redis (db 6), so restarting them cannot disturb anyone else's
servers; gunicorn; two Celery workers, started again if they exit, as docker-compose.yml's
restart policy does (each restart is recorded with the worker's last error). For --duration
seconds it drives --concurrency virtual users through the real pages (sign-in, upload form,
review form, dashboards) and, in the same run and one after another, SIGKILLs a worker process
in the middle of a recompute, stops and starts Redis (persisted, as in compose), and restarts
PostgreSQL. Then it lets the queue drain and checks that nothing was lost:

- no 5xx, except 503 pages while PostgreSQL is restarting (the clean failure the app promises);
- every successful upload is in the database exactly once and on disk with a matching SHA-256,
  and no evidence file is on disk without its row;
- every approval is reflected in the final compliance statuses (a synchronous recompute of
  every trust changes nothing, and the outbox is empty);
- each fault case survived (the task running in the killed worker process was delivered again
  and succeeded once, by the workers' logs, so the outbox drain cannot hide its loss).

Prints a summary, writes bench/results/load.json, exits non-zero on any failure.

    python -m bench.load --duration 60 --concurrency 20

Modules: servers (the private PostgreSQL and Redis), stack (them, gunicorn and the workers),
users (the virtual users), faults, checks (what was lost, how the requests fared), __main__ (the
run and its report).
"""
