from .dashboard import DashboardGeneration
from .dspt import DsptAssessment, DsptAssessmentChange, DsptStatus, DsptSubmissionDeadline
from .evidence import EvidenceSubmission, ReviewState
from .status import (
    STATUS_ORDER,
    ComplianceSnapshot,
    ComplianceStatus,
    ComplianceStatusChange,
    RecomputeRequest,
    Status,
)
from .targets import NationalDataRule, Requirement, Target, TargetRevision

__all__ = [
    "STATUS_ORDER",
    "ComplianceSnapshot",
    "ComplianceStatus",
    "ComplianceStatusChange",
    "DashboardGeneration",
    "DsptAssessment",
    "DsptAssessmentChange",
    "DsptStatus",
    "DsptSubmissionDeadline",
    "EvidenceSubmission",
    "NationalDataRule",
    "RecomputeRequest",
    "Requirement",
    "ReviewState",
    "Status",
    "Target",
    "TargetRevision",
]
