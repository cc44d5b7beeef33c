"""What the dashboards show, made from selector results: labels and tags, the tables rendered under
each chart and downloaded as CSV, the charts, and each page's context. One module per page or subject;
this package re-exports what the views and the templates (as `p`) use, the status order included."""

from ..models import STATUS_ORDER
from .dspt import dspt_requirement_note, dspt_share_days, dspt_timeline
from .labels import (
    evidence_tag,
    long_date,
    optional_url,
    percent,
    short_icb_name,
    short_target_name,
    status_label,
    status_tag,
    submission_tag,
    time_ago,
)
from .national import national_body, national_tables
from .region import icb_summary, region_body, region_tables
from .tables import Table, csv_value
from .trust import trust_history_body, trust_tables

__all__ = [
    "STATUS_ORDER",
    "Table",
    "csv_value",
    "dspt_requirement_note",
    "dspt_share_days",
    "dspt_timeline",
    "evidence_tag",
    "icb_summary",
    "long_date",
    "national_body",
    "national_tables",
    "optional_url",
    "percent",
    "region_body",
    "region_tables",
    "short_icb_name",
    "short_target_name",
    "status_label",
    "status_tag",
    "submission_tag",
    "time_ago",
    "trust_history_body",
    "trust_tables",
]
