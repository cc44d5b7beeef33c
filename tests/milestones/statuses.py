"""Reading back what the recompute stored, for the milestones tests."""

from milestones.models import ComplianceStatus


def status_of(submission) -> ComplianceStatus:
    """The stored status of a submission's trust against its requirement's target."""
    return ComplianceStatus.objects.get(trust=submission.trust, target=submission.requirement.target)
