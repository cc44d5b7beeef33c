"""How dates are written for people: one definition for pages, charts, messages and reports.
A day is "3 March 2025" ("3 Mar 2025" where room is short), a month "March 2025"; a moment is
shown on its local day and time."""

import datetime

from django.utils import formats, timezone

# Django's date format syntax.
LONG_DATE = "j F Y"  # 3 March 2025
LONG_DATE_TIME = "j F Y, H:i"  # 3 March 2025, 14:05
SHORT_DATE = "j M Y"  # 3 Mar 2025: a table's narrow column, a line of a command's report
MONTH = "F Y"  # March 2025
SHORT_MONTH = "M Y"  # Mar 2025: a label on a chart
# The same day and month in a chart's hover text, which Plotly writes in the browser (d3-time-format).
CHART_DAY = "%-d %B %Y"
CHART_MONTH = "%B %Y"


def format_date(value: datetime.date | datetime.datetime | None, format_string: str = LONG_DATE) -> str:
    """A date, or an aware datetime in local time, in one of the formats above; "" for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, format_string)


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """ "3 March 2025", or "" for None. The templates' `date` filter."""
    return format_date(value, LONG_DATE)


def long_date_time(value: datetime.datetime | None) -> str:
    """ "3 March 2025, 14:05" in local time, or "" for None. The templates' `date_time` filter."""
    return format_date(value, LONG_DATE_TIME)


def short_date(value: datetime.date | datetime.datetime | None) -> str:
    """ "3 Mar 2025", or "" for None."""
    return format_date(value, SHORT_DATE)


def month_year(value: datetime.date | None) -> str:
    """ "March 2025", or "" for None."""
    return format_date(value, MONTH)


def short_month_year(value: datetime.date | None) -> str:
    """ "Mar 2025", or "" for None."""
    return format_date(value, SHORT_MONTH)
