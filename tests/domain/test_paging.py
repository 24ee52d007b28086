"""Which page of a long list is shown, and where it sits in the whole list."""

from portal.domain.paging import Page, page_window


def test_the_page_asked_for_is_kept_within_the_list():
    assert page_window(734, 2, 20) == (2, 20)
    assert page_window(734, 99, 20) == (37, 720)
    assert page_window(734, -3, 20) == (1, 0)
    assert page_window(0, 3, 20) == (1, 0)


def test_a_page_knows_its_place_in_the_list():
    page = Page(tuple(range(20)), 734, 2, 20)
    assert (page.pages, page.first, page.last) == (37, 21, 40)
    last = Page(tuple(range(14)), 734, 37, 20)
    assert (last.first, last.last) == (721, 734)
    assert (Page((), 0, 1, 20).first, Page((), 0, 1, 20).last, Page((), 0, 1, 20).pages) == (
        0,
        0,
        1,
    )
