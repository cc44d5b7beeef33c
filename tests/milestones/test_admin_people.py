"""Admin pages of trusts, users and the audit log as milestones registers them (milestones/admin/people.py)."""

import pytest
from django.urls import reverse

from milestones.models import RecomputeRequest
from tests.factories import TrustFactory, UserFactory
from trusts.models import Sector, Trust

pytestmark = pytest.mark.django_db


def test_trust_admin_links_a_cio_and_a_sector_change_requests_a_recompute(client, superuser):
    client.force_login(superuser)
    trust = TrustFactory(sector=Sector.UNCLASSIFIED)
    cio = UserFactory(username="cio")
    url = reverse("admin:trusts_trust_change", args=[trust.pk])
    form = {
        "ods_code": trust.ods_code,
        "name": trust.name,
        "sector": Sector.COMMUNITY,
        "exemplar_status": trust.exemplar_status,
        "region": trust.region_id,
        "icb": trust.icb_id,
        "postcode": "",
        "opened_on": trust.opened_on.isoformat(),
        "closed_on": "",
        "cio_users": [cio.pk],
    }

    assert client.post(url, form).status_code == 302

    trust = Trust.objects.get(pk=trust.pk)
    assert trust.sector == Sector.COMMUNITY
    assert list(trust.cio_users.all()) == [cio]
    assert RecomputeRequest.objects.filter(trust=trust, reason__contains="sector").exists()
