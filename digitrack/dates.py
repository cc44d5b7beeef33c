"""How dates are written for people: one definition for pages, charts' notes, messages and reports.
A day is "3 March 2025"; a moment is shown on its local day (and time, where one is asked for)."""

import datetime

from django.utils import formats, timezone

LONG_DATE = "j F Y"  # 3 March 2025
LONG_DATE_TIME = "j F Y H:i"  # 3 March 2025 14:05
SHORT_DATE = "j M Y"  # 3 Mar 2025, in a table's narrow column


def format_date(value: datetime.date | datetime.datetime | None, format_string: str = LONG_DATE) -> str:
    """A date, or an aware datetime in local time, as Django's date filter writes it; "" for None.
    The templates' `date` filter."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, format_string)


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """ "3 March 2025", or "" for None."""
    return format_date(value, LONG_DATE)


def short_date(value: datetime.date | datetime.datetime | None) -> str:
    """ "3 Mar 2025", or "" for None."""
    return format_date(value, SHORT_DATE)
