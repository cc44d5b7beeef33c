"""A missing page is rendered by one request at a time: the others asking for it meanwhile are
answered with its most recent render, if it is recent enough, or wait for the page the renderer
stores; a render that never comes or gives up leaves them to render it themselves, and with Redis
away every request renders its own."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from dashboards import cache as dashboards_cache
from dashboards.cache import DashboardCache, page_rendered_once, page_store

pytestmark = pytest.mark.django_db


def _page(text: str) -> tuple[str, str]:
    return ("text/html; charset=utf-8", text)


def _renderer(cache: DashboardCache, renders: list, seconds: float = 0.0, text: str = "rendered"):
    def render():
        renders.append(1)
        time.sleep(seconds)
        page_store(cache, "key", _page(text))
        return _page(text)

    return render


def test_concurrent_requests_for_a_missing_page_render_it_once():
    cache, renders = DashboardCache(generation=1), []
    render = _renderer(cache, renders, seconds=0.3)
    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = list(pool.map(lambda _: page_rendered_once(cache, "key", render), range(8)))

    assert len(renders) == 1
    assert pages == [_page("rendered")] * 8


def test_a_request_waiting_for_a_render_that_never_comes_renders_the_page_itself(monkeypatch):
    monkeypatch.setattr(dashboards_cache, "RENDER_WAIT_SECONDS", 0.2)
    cache, renders = DashboardCache(generation=1), []
    assert cache.add("page-lock", "key", True, 30)  # another request renders it, and never finishes
    started = time.monotonic()

    assert page_rendered_once(cache, "key", _renderer(cache, renders)) == _page("rendered")
    assert len(renders) == 1
    assert time.monotonic() - started >= 0.2


def test_a_request_stops_waiting_as_soon_as_the_other_render_gives_up():
    cache, renders = DashboardCache(generation=1), []
    assert cache.add("page-lock", "key", True, 30)
    # The other request's render fails (or answers a page not to cache) and lets go of its lock.
    threading.Timer(0.05, lambda: cache.delete("page-lock", "key")).start()
    started = time.monotonic()

    assert page_rendered_once(cache, "key", _renderer(cache, renders)) == _page("rendered")
    assert len(renders) == 1
    assert time.monotonic() - started < dashboards_cache.RENDER_WAIT_SECONDS / 2


def test_a_waiting_request_gets_the_page_the_other_one_stored():
    cache, renders = DashboardCache(generation=1), []
    assert cache.add("page-lock", "key", True, 30)
    threading.Timer(0.05, lambda: cache.set("page", "key", _page("from the other request"))).start()

    assert page_rendered_once(cache, "key", _renderer(cache, renders)) == _page("from the other request")
    assert renders == []


def test_with_redis_down_a_missing_page_is_rendered_without_waiting(redis_down):
    cache, renders = DashboardCache(generation=1), []
    started = time.monotonic()

    assert page_rendered_once(cache, "key", _renderer(cache, renders)) == _page("rendered")
    assert len(renders) == 1
    assert time.monotonic() - started < dashboards_cache.RENDER_WAIT_SECONDS / 2


def test_while_a_page_is_rendered_after_a_change_others_get_its_most_recent_render_at_once():
    before, renders = DashboardCache(generation=1), []
    page_rendered_once(before, "key", _renderer(before, renders))
    after = DashboardCache(generation=2)  # a write changed what the page shows
    assert after.add("page-lock", "key", True, 30)  # and a request is rendering it afresh
    started = time.monotonic()

    assert page_rendered_once(after, "key", _renderer(after, renders)) == _page("rendered")
    assert len(renders) == 1  # the first render only
    assert time.monotonic() - started < dashboards_cache.RENDER_WAIT_SECONDS / 2


def test_a_render_older_than_recent_is_not_served_while_the_page_is_rendered_again(monkeypatch):
    monkeypatch.setattr(dashboards_cache, "RECENT_PAGE_SECONDS", 1)
    before, renders = DashboardCache(generation=1), []
    page_rendered_once(before, "key", _renderer(before, renders))
    time.sleep(1.1)
    after = DashboardCache(generation=2)
    assert after.add("page-lock", "key", True, 30)
    threading.Timer(0.05, lambda: after.set("page", "key", _page("after the change"))).start()

    assert page_rendered_once(after, "key", _renderer(after, renders)) == _page("after the change")
    assert len(renders) == 1


def test_a_lone_request_after_a_change_renders_the_page_afresh_rather_than_serve_the_recent_one():
    before, renders = DashboardCache(generation=1), []
    page_rendered_once(before, "key", _renderer(before, renders, text="before the change"))
    after = DashboardCache(generation=2)

    assert page_rendered_once(after, "key", _renderer(after, renders)) == _page("rendered")
    assert len(renders) == 2
