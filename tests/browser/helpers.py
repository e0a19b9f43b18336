"""Helpers for browser tests: logging in, axe checks, and Django calls between Playwright calls.

See the docstring of ``tests/browser/conftest.py`` for how they fit with the fixtures.
"""

import asyncio
from contextlib import contextmanager
from pathlib import Path

import greenlet
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.tools import tool_missing

# WCAG 2.1 level A and AA, the level the accessibility statement promises.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


# Colours are read as they are drawn: a message still fading in fails contrast it passes
# once shown. Waits for the animations and transitions that end within a second (not for
# endless ones, nor for one that starts later, such as a warning shown after a long delay).
SETTLE_ANIMATIONS = """
() => Promise.race([
  Promise.all(document.getAnimations()
    .filter((animation) => {
      const timing = animation.effect && animation.effect.getComputedTiming();
      return timing && timing.endTime - (timing.localTime || 0) < 1000;
    })
    .map((animation) => animation.finished.catch(() => null))),
  new Promise((done) => setTimeout(done, 1000)),
])
"""
# Drops the nodes of a rule that match a selector: ignore = {rule id: CSS selector}.
RUN_AXE = """
async ([context, options, ignore]) => {
  const results = await axe.run(context || document, options);
  return results.violations
    .map((violation) => {
      const skip = ignore[violation.id];
      if (!skip) return violation;
      const nodes = violation.nodes.filter((node) => {
        const element = node.target.length === 1 ? document.querySelector(node.target[0]) : null;
        return !(element && element.matches(skip));
      });
      return { ...violation, nodes };
    })
    .filter((violation) => violation.nodes.length > 0);
}
"""


def axe_report(page, *, context=None, ignore=None):
    """Run axe-core on the page as it is now; return a report of its violations, or "".

    ``context`` narrows the check to part of the page (an axe context, e.g. a
    CSS selector such as ``"main"``); by default the whole document is checked.
    ``ignore`` maps a rule's id to a CSS selector of elements that rule is not to
    report, for markup that is not the site's own (name it where it is used).
    Animations are let finish first.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Injected through the DevTools protocol, so the page's CSP does not block it.
        page.evaluate(AXE_SCRIPT)
    page.evaluate(SETTLE_ANIMATIONS)
    options = {"runOnly": {"type": "tag", "values": list(AXE_TAGS)}, "resultTypes": ["violations"]}
    violations = page.evaluate(RUN_AXE, [context, options, ignore or {}])
    if not violations:
        return ""
    width = page.viewport_size["width"] if page.viewport_size else "?"
    return _format_violations(f"{page.url} at {width} px", violations)


def assert_no_axe_violations(page, *, context=None, ignore=None):
    """Fail listing every axe violation (id, impact, help, offending nodes) on the page."""
    report = axe_report(page, context=context, ignore=ignore)
    if report:
        raise AssertionError(report)


def both_widths(page, *, context=None):
    """axe finds no violation and nothing is wider than the screen, at 1280 then 320 px; the
    page is left at 1280 px."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert_no_axe_violations(page, context=context)
        assert page.evaluate("() => document.querySelector('main').scrollWidth") <= width
    page.set_viewport_size({"width": 1280, "height": 800})


def _format_violations(where, violations):
    lines = [f"{len(violations)} axe violation(s) on {where}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(str(part) for part in node['target'])}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", " / ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


# Playwright's init scripts run before the page's own and are not subject to its CSP.
# Chromium logs a blocked resource as a console error too; this also names the directive,
# and catches what Chromium reports without a console message.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + event.blockedURI);
});
"""


class ConsoleErrors(list):
    """Console errors, uncaught exceptions and CSP violations of a page, from its next load on.

    Make it before the loads whose problems it is to catch: the CSP listener is an init
    script that ``page_factory`` gives every page from its first document on, and the
    list fills with what comes after it is made; ``assert_none()`` fails naming each.
    """

    def __init__(self, page):
        super().__init__()
        self.page = page
        # The pages of ``page_factory`` report CSP violations from the start (conftest.py).
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.append(f"{page.url}: uncaught {error}"))

    def _console(self, message):
        if message.type == "error":
            self.append(f"{self.page.url}: {message.text}")

    def assert_none(self):
        assert list(self) == [], "\n".join(self)


def collect_problems(page):
    """``ConsoleErrors(page)``: console errors, uncaught exceptions and CSP violations of
    ``page``, collected as they come; ``assert problems == []`` or ``problems.assert_none()``."""
    return ConsoleErrors(page)


def require_chromium(path):
    """Skip the test when the browser at ``path`` is missing; fail instead when ``CI`` is set."""
    if Path(path).exists():
        return
    tool_missing(f"{path} is missing: install Debian's chromium package (apt-get install chromium)")


def account_url(name, language, **kwargs):
    """The path of an account view (``account_login``, ...) in a language (translated prefix)."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def sign_in(page, base_url, user):
    """Log ``user`` in for the page's browser context without going through the login page.

    For tests about something other than logging in: Django's test client makes
    the session on the server (``force_login``, which also skips two-factor
    authentication) and the browser gets its cookie. It saves a page load and a
    form post per browser; ``login`` is the way a person does it. Returns the page.
    """
    # Like db_access(), without marking the loop again: the caller may go on with Django calls.
    LOOP_MARK.release()
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": str(base_url)}]
    )
    return page


def login(page, base_url, email, password, *, language="en"):
    """Log in through the login page, as a person would, and wait for the page after it.

    Fails with the form's error messages if the login page comes back instead.
    Returns the page, now on wherever the login redirected to.
    """
    login_path = account_url("account_login", language)
    page.goto(f"{base_url}{login_path}")
    form = page.locator("form").filter(has=page.locator("input[name='password']"))
    form.locator("input[name='login']").fill(email)
    form.locator("input[name='password']").fill(password)
    with page.expect_navigation():
        form.locator("[type='submit']").first.click()
    if page.url.split("?")[0].endswith(login_path):
        errors = page.locator(".errorlist, [role='alert']").all_inner_texts()
        raise AssertionError(f"Login as {email} failed: {' '.join(errors) or 'no error shown'}")
    return page


class PlaywrightLoopMark:
    """Keeps Playwright's event loop from looking like it runs outside Playwright's calls.

    Playwright's sync API runs its asyncio loop in a greenlet on the calling
    thread and, between calls, leaves that loop marked as the thread's running
    loop although it is paused (its own code outside the loop needs the mark,
    e.g. ``page.expect_navigation()``). Code that checks for a running loop
    then takes the test for async code: Django refuses ORM calls
    (``SynchronousOnlyOperation``), asgiref's ``async_to_sync`` refuses to run,
    and pytest-asyncio cannot start a loop for a later async test ("Cannot run
    the event loop while another loop is running").

    ``release()`` clears the mark when it is Playwright's: ``ReleaseLoopMark``
    in the conftest calls it after every fixture step and test body, so
    fixtures, teardown and later tests start clean, and ``db_access()`` clears
    it around a block of a test body. A greenlet trace sets the mark again
    whenever control passes into one of Playwright's greenlets, where its loop
    really runs, so a Playwright call made after a release works.
    """

    def __init__(self):
        self.loop = None
        self._previous_trace = None

    def install(self, playwright):
        self.loop = playwright._loop
        self._previous_trace = greenlet.settrace(self._trace)
        self.release()

    def uninstall(self):
        greenlet.settrace(self._previous_trace)
        self._previous_trace = None
        self.release()
        self.loop = None

    def release(self):
        if self.loop is not None and asyncio._get_running_loop() is self.loop:
            asyncio._set_running_loop(None)

    def restore(self):
        if self.loop is not None and self.loop.is_running() and asyncio._get_running_loop() is None:
            asyncio._set_running_loop(self.loop)

    def _trace(self, event, args):
        if event in ("switch", "throw"):
            _origin, target = args
            # The thread's root greenlet runs the tests; every other one here is Playwright's.
            if target.parent is not None:
                self.restore()
        if self._previous_trace is not None:
            self._previous_trace(event, args)


LOOP_MARK = PlaywrightLoopMark()

DB_ACCESS_HINT = (
    "In a browser test, wrap Django calls made after a Playwright call in "
    "`with db_access():` (tests/browser/helpers.py)."
)


@contextmanager
def db_access():
    """Run a block of a test body, after a Playwright call, with no event loop marked as running.

    Needed for Django's ORM and for asgiref's ``async_to_sync`` (e.g. a service
    that sends a live event through the channel layer). Not needed in fixtures,
    nor before the test body's first Playwright call.
    """
    LOOP_MARK.release()
    try:
        yield
    finally:
        LOOP_MARK.restore()
