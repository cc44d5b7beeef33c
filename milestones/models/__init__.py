from .dashboard import DashboardGeneration
from .dspt import DsptAssessment, DsptAssessmentChange, DsptDeadlineRevision, DsptStatus, DsptSubmissionDeadline
from .evidence import (
    DEMO_SUMMARY_PREFIX,
    REVIEW_EVIDENCE,
    REVIEW_EVIDENCE_CODENAME,
    SUBMIT_EVIDENCE,
    SUBMIT_EVIDENCE_CODENAME,
    EvidenceState,
    EvidenceSubmission,
    ReviewState,
)
from .reminders import Reminder, ReminderSettings
from .sources import DMA_PILLARS, Source, SourceRow, SourceSnapshot
from .status import (
    STATUS_ORDER,
    ComplianceSnapshot,
    ComplianceStatus,
    ComplianceStatusChange,
    DayStatus,
    RecomputeRequest,
    Status,
)
from .targets import NationalDataRule, Requirement, RequirementChange, RequirementRevision, Target, TargetRevision

__all__ = [
    "DEMO_SUMMARY_PREFIX",
    "DMA_PILLARS",
    "REVIEW_EVIDENCE",
    "REVIEW_EVIDENCE_CODENAME",
    "STATUS_ORDER",
    "SUBMIT_EVIDENCE",
    "SUBMIT_EVIDENCE_CODENAME",
    "ComplianceSnapshot",
    "ComplianceStatus",
    "ComplianceStatusChange",
    "DayStatus",
    "DashboardGeneration",
    "DsptAssessment",
    "DsptAssessmentChange",
    "DsptDeadlineRevision",
    "DsptStatus",
    "DsptSubmissionDeadline",
    "EvidenceState",
    "EvidenceSubmission",
    "NationalDataRule",
    "RecomputeRequest",
    "Reminder",
    "ReminderSettings",
    "Requirement",
    "RequirementChange",
    "RequirementRevision",
    "ReviewState",
    "Source",
    "SourceRow",
    "SourceSnapshot",
    "Status",
    "Target",
    "TargetRevision",
]
