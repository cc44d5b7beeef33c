"""SYNTHETIC trusts for the tenfold scales, labelled so in their codes and names."""

# What a copy keeps of its real trust: where it is and when it was open.
COPIED_FIELDS = ("sector", "exemplar_status", "region_id", "icb_id", "opened_on", "closed_on")


def trusts_copy(copies: int) -> list[tuple[int, int]]:
    """`copies` SYNTHETIC copies of every real trust (codes Z0001..., names "SYNTHETIC BENCH COPY n
    OF <code>"); the (real trust id, copy id) pairs, so that a bench can copy the trusts' rows."""
    from trusts.models import Trust

    originals = list(Trust.objects.order_by("ods_code").values("pk", "ods_code", *COPIED_FIELDS))
    pairs = [(copy, original) for copy in range(1, copies + 1) for original in originals]
    clones = [
        Trust(
            ods_code=f"Z{number:04d}",
            name=f"SYNTHETIC BENCH COPY {copy} OF {original['ods_code']}",
            **{name: original[name] for name in COPIED_FIELDS},
        )
        for number, (copy, original) in enumerate(pairs, start=1)
    ]
    Trust.objects.bulk_create(clones, batch_size=5000)
    return [(original["pk"], clone.pk) for (_, original), clone in zip(pairs, clones, strict=True)]


def evidence_without_file(trust_id: int, requirement, user, *, summary: str, state: str, submitted_at, reviewed_at):
    """A SYNTHETIC evidence submission with no file behind it (a placeholder name, size and
    checksum), reviewed by `user` if it was approved or rejected."""
    from milestones.models import EvidenceSubmission, ReviewState

    return EvidenceSubmission(
        trust_id=trust_id,
        requirement=requirement,
        file="synthetic/none.pdf",
        original_name="synthetic.pdf",
        size_bytes=1,
        sha256="0" * 64,
        content_type="application/pdf",
        summary=summary,
        submitted_by=user,
        submitted_at=submitted_at,
        state=state,
        reviewed_by=user if state in (ReviewState.APPROVED, ReviewState.REJECTED) else None,
        reviewed_at=reviewed_at,
    )
