"""Organisation codes are checked at the URL: a NUL byte or any other non-code answers 404,
never a database error."""

import pytest

pytestmark = pytest.mark.django_db

BAD_CODES = ["%00", "R%00B", "RCB%00", "%27%3B--", "TOOLONGCODE", "%C3%A9A1"]
PATHS = [
    "/trusts/{code}/",
    "/regions/{code}/",
    "/trusts/{code}/evidence/",
    "/trusts/{code}/evidence/new/",
    "/exports/trusts/{code}/statuses.csv",
    "/exports/regions/{code}/trusts.csv",
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("code", BAD_CODES)
def test_a_bad_code_answers_404(client, people, path, code):
    client.force_login(people.staff)

    assert client.get(path.format(code=code)).status_code == 404


@pytest.mark.parametrize("path", ["/trusts/{code}/", "/exports/trusts/{code}/statuses.csv"])
def test_a_good_code_in_either_case_still_resolves(client, people, path):
    client.force_login(people.staff)

    assert client.get(path.format(code=people.trust_a.ods_code.lower())).status_code == 200
