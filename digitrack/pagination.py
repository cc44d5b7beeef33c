"""Long lists a page at a time, with the links the NHS.UK pagination macro draws.

Each link keeps the rest of the query string, so a filtered list stays filtered from page to page.
"""

from django.core.paginator import Page, Paginator
from django.http import QueryDict

PER_PAGE = 25


def page_of(items, query: QueryDict, per_page: int = PER_PAGE) -> Page:
    """The page the query asks for; a missing or unreadable number gives the first, too large the last."""
    return Paginator(items, per_page).get_page(query.get("page"))


def pagination_params(page: Page, query: QueryDict) -> dict | None:
    """Parameters of the nhsuk pagination macro for this page, or None when there is only one."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def href(number: int) -> str:
        params = query.copy()
        params.pop("page", None)
        if number > 1:
            params["page"] = str(number)
        return f"?{params.urlencode()}" if params else "?"

    items = [
        {"ellipsis": True}
        if number == paginator.ELLIPSIS
        else {"number": number, "href": href(number), "current": number == page.number}
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return {
        "previous": {"href": href(page.previous_page_number())} if page.has_previous() else {},
        "next": {"href": href(page.next_page_number())} if page.has_next() else {},
        "items": items,
    }
