"""Bench databases: each dropped and made afresh for a run."""

import os
from io import StringIO
from urllib.parse import urlparse

import psycopg

from bench.common.servers import PROJECT


def database_recreate(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_with_register(url: str) -> None:
    """A fresh database at `url` holding the real trust register (trusts/data/etr.csv), with Django
    set up on it in this process: no broker (tasks run inline) and the local-memory cache."""
    database_recreate(url)
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digitrack.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import_ods", str(PROJECT / "trusts" / "data" / "etr.csv"), stdout=StringIO())


def postgres_version(url: str) -> str:
    """The server's version, through the maintenance database beside the one at `url`."""
    with psycopg.connect(urlparse(url)._replace(path="/postgres").geturl()) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]
