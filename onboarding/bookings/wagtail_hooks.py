"""Admin wiring of the booking engine: the guard and the organiser buttons, registered once for
every kind of holder (see ``admin_guard`` for the hooks the apps register into)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page

from .admin_guard import (
    before_bulk_action,
    before_delete,
    before_move,
    before_unpublish,
    organiser_buttons,
)

hooks.register("before_unpublish_page", before_unpublish)
hooks.register("before_delete_page", before_delete)
hooks.register("before_bulk_action", before_bulk_action)
hooks.register("before_move_page", before_move)


@hooks.register("register_page_listing_more_buttons")
def listing_buttons(page: Page, user: Any, next_url: str | None = None) -> Iterator[Button]:
    yield from organiser_buttons(page, user)


@hooks.register("register_page_header_buttons")
def header_buttons(
    page: Page, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    yield from organiser_buttons(page, user)
