"""Paging long lists: the page asked for, and links for the nhsuk macro that keep the filters."""

from django.http import QueryDict

from digitrack.pagination import page_of, pagination_params


def test_one_page_needs_no_pagination():
    page = page_of(range(25), QueryDict(""))
    assert list(page) == list(range(25))
    assert pagination_params(page, QueryDict("")) is None


def test_links_keep_the_filters_and_drop_the_page_number_for_the_first_page():
    query = QueryDict("region=Y56&target=core-2023&page=2")
    params = pagination_params(page_of(range(60), query), query)

    assert params["previous"] == {"href": "?region=Y56&target=core-2023"}
    assert params["next"] == {"href": "?region=Y56&target=core-2023&page=3"}
    assert [item["number"] for item in params["items"]] == [1, 2, 3]
    assert [item["current"] for item in params["items"]] == [False, True, False]


def test_far_pages_are_elided_and_the_ends_have_no_previous_or_next():
    first = pagination_params(page_of(range(500), QueryDict("")), QueryDict(""))
    assert first["previous"] == {} and first["next"] == {"href": "?page=2"}
    assert [item.get("number", "…") for item in first["items"]] == [1, 2, "…", 20]

    query = QueryDict("page=20")
    last = pagination_params(page_of(range(500), query), query)
    assert last["next"] == {} and last["previous"] == {"href": "?page=19"}


def test_unreadable_or_too_large_page_numbers_give_the_first_or_last_page():
    assert page_of(range(60), QueryDict("page=x")).number == 1
    assert page_of(range(60), QueryDict("page=99")).number == 3
