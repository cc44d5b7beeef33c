"""Reading what the dashboards answer: a CSV download's rows, a page's HTML, the status codes of
several pages, a chart's JSON, the national core headline, and how many queries a page takes."""

import csv
import io

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

# A page served from the page cache reads the user with their permissions, the cache generation
# and nothing else.
CACHED_PAGE_QUERIES = 2


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download, which must answer 200 as text/csv."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def page_html(client, path: str) -> str:
    """The HTML of the page at `path`, which must answer 200."""
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def status_codes(client, *paths: str) -> list[int]:
    """The status code the client gets from each path, in order."""
    return [client.get(path).status_code for path in paths]


def script_json(page: str, element_id: str) -> str:
    """The text of the page's JSON script element with this id (a chart's figure)."""
    start = page.index(f'id="{element_id}">') + len(f'id="{element_id}">')
    return page[start : page.index("</script>", start)]


def core_headline(client) -> str:
    """The national page's core-2023 card, up to the end of its headline."""
    page = client.get("/").content.decode()
    start = page.index('data-target="core-2023"')
    return page[start : page.index("</p>", start)]


def queries_to_render(client, path: str) -> int:
    """How many queries the page at `path` takes to render with the cache empty."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)
