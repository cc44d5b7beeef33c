"""Argument types the management commands share."""

import datetime

from django.core.management.base import CommandError


def iso_date(value: str) -> datetime.date:
    """A day given as 2024-10-01 (--as-at, --as-of, --since)."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: use YYYY-MM-DD.") from None
