"""The browser fixtures themselves: live server, login, Django and asyncio next to Playwright."""

import asyncio
import json
import threading

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import get_user_model
from wagtail.models import Page

from tests.browser.helpers import db_access, login, require_chromium
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_missing_chromium_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="chromium"):
        require_chromium(tmp_path / "chromium")


def test_missing_chromium_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="chromium"):
        require_chromium(tmp_path / "chromium")


def test_server_call_runs_in_server_thread_and_sees_committed_data(asgi_server, user):
    def lookup():
        exists = get_user_model().objects.filter(email=user.email).exists()
        return threading.current_thread() is threading.main_thread(), exists

    assert asgi_server.call(lookup) == (False, True)


def test_orm_and_async_to_sync_work_in_db_access_after_playwright_call(site_tree, page):
    page.goto("/en/")

    with db_access():
        titles = list(Page.objects.live().filter(depth=2).values_list("title_en", flat=True))
        slept = async_to_sync(asyncio.sleep)(0, result="ran")

    assert (titles, slept) == (["Welcome"], "ran")


@pytest.mark.stack
def test_logged_in_page_exchanges_messages_with_live_consumer(site_tree, page, asgi_server, user):
    page.add_init_script("document.addEventListener('live:open', () => { window.liveOpen = 1; });")
    with page.expect_websocket() as socket_info:
        login(page, asgi_server, user.email, PASSWORD)
    socket = socket_info.value
    page.wait_for_function("() => window.liveOpen === 1")

    with socket.expect_event("framereceived") as frame:
        page.evaluate("() => window.velkommenLive.send({type: 'ping'})")

    assert json.loads(frame.value) == {"type": "pong"}


def test_login_with_wrong_password_fails_with_form_error(site_tree, page, asgi_server, user):
    with pytest.raises(AssertionError, match="Login as .* failed"):
        login(page, asgi_server, user.email, "not-the-password")


async def test_async_tests_still_run_after_browser_tests():
    # Runs after the browser tests above (pytest-django orders database-less tests
    # last): it fails if Playwright's loop were still marked as running.
    assert await asyncio.sleep(0, result="ran") == "ran"
