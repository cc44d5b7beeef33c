"""factory_boy factories shared by the test suite. Codes are test data, not real organisations."""

import datetime
import hashlib

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from milestones.models import (
    ComplianceStatus,
    EvidenceSubmission,
    Requirement,
    ReviewState,
    Source,
    SourceSnapshot,
    Status,
    Target,
)
from trusts.models import IntegratedCareBoard, Region, Sector, Trust


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        # The post-generation hooks only add many-to-many links: nothing to save afterwards.
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.nhs.uk")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(user, create, extracted, **kwargs):
        """UserFactory(roles=["Trust CIO"]): the groups the roles migration made."""
        for name in extracted or []:
            user.groups.add(Group.objects.get(name=name))

    @factory.post_generation
    def cio_of(user, create, extracted, **kwargs):
        """UserFactory(cio_of=[trust]): link a CIO to the trusts they may act for."""
        for trust in extracted or []:
            trust.cio_users.add(user)


class RegionFactory(factory.django.DjangoModelFactory):
    """Regions are seeded by a migration; this reuses them by code."""

    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "Y56"
    name = "London"


class IntegratedCareBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegratedCareBoard

    code = factory.Sequence(lambda n: f"X{n:02d}")
    name = factory.Sequence(lambda n: f"NHS TEST {n} INTEGRATED CARE BOARD")
    region = factory.SubFactory(RegionFactory)


ODS_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    # T plus two characters: valid ODS shape, not a code the real register uses for a trust here.
    ods_code = factory.Sequence(lambda n: f"T{ODS_CHARACTERS[n // 36 % 36]}{ODS_CHARACTERS[n % 36]}")
    name = factory.Sequence(lambda n: f"TEST {n} NHS FOUNDATION TRUST")
    sector = Sector.ACUTE
    region = factory.SubFactory(RegionFactory)
    icb = factory.SubFactory(IntegratedCareBoardFactory, region=factory.SelfAttribute("..region"))
    opened_on = datetime.date(2010, 4, 1)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    code = factory.Sequence(lambda n: f"test-target-{n}")
    title = factory.Sequence(lambda n: f"Test target {n}")
    start_date = datetime.date(2020, 1, 1)
    deadline = datetime.date(2024, 12, 31)
    sectors = factory.LazyFunction(lambda: list(Sector.values))


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    target = factory.SubFactory(TargetFactory)
    code = factory.Sequence(lambda n: f"requirement-{n}")
    title = factory.Sequence(lambda n: f"Requirement {n}")


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class EvidenceSubmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceSubmission

    trust = factory.SubFactory(TrustFactory)
    requirement = factory.SubFactory(RequirementFactory)
    file = factory.LazyFunction(lambda: ContentFile(MINIMAL_PDF, name="evidence.pdf"))
    original_name = "evidence.pdf"
    size_bytes = len(MINIMAL_PDF)
    sha256 = hashlib.sha256(MINIMAL_PDF).hexdigest()
    content_type = "application/pdf"
    summary = "Board paper"
    submitted_by = factory.SubFactory(UserFactory)
    submitted_at = factory.LazyFunction(timezone.now)
    state = ReviewState.SUBMITTED


class ComplianceStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceStatus

    trust = factory.SubFactory(TrustFactory)
    target = factory.SubFactory(TargetFactory)
    status = Status.ON_TRACK
    reason = "0 of 1 requirements met"
    requirements_total = 1
    computed_at = factory.LazyFunction(timezone.now)
    changed_at = factory.LazyFunction(timezone.now)


class SourceSnapshotFactory(factory.django.DjangoModelFactory):
    """A published file's snapshot as its import records it; a test adds its rows."""

    class Meta:
        model = SourceSnapshot

    source = Source.DSPT
    as_at = datetime.date(2023, 11, 16)
    file_name = factory.Sequence(lambda n: f"source-{n}.csv")
    sha256 = factory.LazyAttribute(lambda snapshot: hashlib.sha256(snapshot.file_name.encode()).hexdigest())
    imported_at = factory.LazyFunction(timezone.now)
    rows_read = 1
    rows_loaded = 1
