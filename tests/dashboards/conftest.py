"""Fixtures shared by the dashboard tests."""

import pytest

from tests.dashboards.dashboard_data import cio_user, known_dataset


@pytest.fixture
def t1_cio_client(client, db):
    """known_dataset(), and the test client signed in as the CIO of its trust T1 alone."""
    client.force_login(cio_user(known_dataset().t1))
    return client
