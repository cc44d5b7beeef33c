"""Reading a page's breadcrumbs, for the milestones page tests."""

import re


def breadcrumbs(page: str) -> list[tuple[str, str]]:
    """(href, text) of each breadcrumb link, without the header's links of the same names."""
    return re.findall(r'class="nhsuk-breadcrumb__link" href="([^"]*)"\s*>\s*([^<]*?)\s*</a>', page)
