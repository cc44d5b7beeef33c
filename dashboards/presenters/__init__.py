"""What the dashboards show, made from selector results: labels and tags, the tables rendered under
each chart and downloaded as CSV, the charts, and each page's context. One module per page or subject;
this package re-exports what the views and the templates (as `present`) use, the status order included."""

from digitrack.tables import Table, csv_value, table_params
from milestones.labels import (
    DEMO_TAG,
    deadline_words,
    evidence_needs_upload,
    evidence_tag,
    long_date,
    percent,
    short_icb_name,
    status_label,
    status_tag,
    submission_tag,
)
from milestones.models import STATUS_ORDER
from trusts.models import ICB_NOT_KNOWN

from ..presenters.dspt import dspt_requirement_note, dspt_share_days, dspt_timeline
from ..presenters.national import national_body, national_tables
from ..presenters.region import icb_summary, region_body, region_tables
from ..presenters.todo import todo_body
from ..presenters.trust import recent_evidence, trust_history_body, trust_tables
from ..presenters.trust_list import (
    active_filters,
    constant_columns,
    sort_head,
    trust_list_table,
    trust_list_url,
)

__all__ = [
    "DEMO_TAG",
    "ICB_NOT_KNOWN",
    "STATUS_ORDER",
    "Table",
    "active_filters",
    "constant_columns",
    "csv_value",
    "deadline_words",
    "dspt_requirement_note",
    "dspt_share_days",
    "dspt_timeline",
    "evidence_needs_upload",
    "evidence_tag",
    "icb_summary",
    "long_date",
    "national_body",
    "national_tables",
    "percent",
    "recent_evidence",
    "region_body",
    "region_tables",
    "short_icb_name",
    "sort_head",
    "status_label",
    "status_tag",
    "submission_tag",
    "table_params",
    "todo_body",
    "trust_history_body",
    "trust_list_table",
    "trust_list_url",
    "trust_tables",
]
