"""Admin pages for targets, evidence and compliance, by model family: targets and their requirements
(targets), the national data and DSPT deadlines (national), the records kept of evidence,
statuses and reminders (records), and trusts, users and the audit log (people).

Targets, requirements and DSPT deadlines are edited through the services that keep their history
and request recomputes. Evidence, statuses and their histories are records: read-only.
"""

# Importing each module registers its pages with the admin site.
from . import national, people, records, targets  # noqa: F401
