"""The region page's lists stop at REGION_LIST_LIMIT trusts: its size does not grow with the number
of trusts in the region, and each list cut short links to all of them in the trust list."""

import json
import re

import pytest

from dashboards.presenters import region as region_presenter
from tests.dashboards.dashboard_data import many_trusts, programme_user

pytestmark = pytest.mark.django_db
LIMIT = 5


def _table_rows(page: str, marker: str) -> int:
    """The body rows of the table holding `marker` (its id or caption)."""
    start = page.rindex("<table", 0, page.index(marker))
    return page[start : page.index("</table>", start)].count("<tr") - 1


def _listed(page: str) -> dict[str, object]:
    figure = re.search(r'<script type="application/json" id="heatmap-data">(.*?)</script>', page, re.DOTALL)
    return {
        "heatmap": len(json.loads(figure.group(1))["data"][0]["y"][1]),
        "heatmap table": _table_rows(page, "Status of each trust against each target"),
        "attention": _table_rows(page, 'id="attention-table"'),
        "lagging": [ul.count("<li") for ul in re.findall(r'data-lagging="[^"]*">(.*?)</ul>', page, re.DOTALL)],
    }


def test_the_region_page_lists_at_most_the_limit_at_300_trusts_and_links_the_rest(client, monkeypatch):
    monkeypatch.setattr(region_presenter, "REGION_LIST_LIMIT", LIMIT)
    client.force_login(programme_user())
    many_trusts(10)
    small = client.get("/regions/Y56/").content.decode()
    assert "in the trust list</a>" not in small  # nothing cut short: one or two trusts in the region

    many_trusts(290)
    page = client.get("/regions/Y56/").content.decode()

    listed = _listed(page)
    assert listed["heatmap"] == listed["heatmap table"] == listed["attention"] == LIMIT
    assert listed["lagging"] and max(listed["lagging"]) == LIMIT
    total = int(re.search(r"see all (\d+) in the trust list", page).group(1))
    assert total > 4 * LIMIT
    assert 'href="/trusts/?region=Y56">see all' in page
    assert 'href="/trusts/?region=Y56&amp;status=overdue">every target overdue</a>' in page
    assert "The first 5 of " in page  # a target's lagging trusts
    # Bounded: 30 times the trusts, a few more rows in each list and one more ICB, not 30 times the page.
    assert len(page) < 1.5 * len(small)
