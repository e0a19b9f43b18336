"""Check-in by camera: Chromium's fake camera shows a real ticket's QR code, read by jsQR.

One Chromium for the module, launched with a fake camera that plays a YUV4MPEG2
file. Chromium opens that file again each time a page starts the camera, so each
test writes its own attendee's ticket into it before starting. The camera may be
used only where the browser context is granted the ``camera`` permission, as a
person grants it at the browser's prompt; without it the page hears a refusal.
"""

import re

import pytest
import segno
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from onboarding.activities.models import Signup
from onboarding.activities.services import signup_create
from onboarding.units.services import unit_editor_add
from tests.browser.helpers import (
    REPORT_CSP_VIOLATIONS,
    assert_no_axe_violations,
    collect_problems,
    db_access,
    sign_in,
)
from tests.factories import UserFactory
from tests.onboarding.activities.factories import event_create
from tests.onboarding.units.factories import buddy_programme_create

from .conftest import CHROMIUM, CHROMIUM_ARGS, DEFAULT_TIMEOUT_MS

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 640, 480
# Playwright's init scripts run before the page's own and are not subject to its CSP.
# Every stream the page opens is kept, to check that stopping ends its tracks.
KEEP_STREAMS = """
(function () {
  window.cameraStreams = [];
  var original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = function (constraints) {
    return original(constraints).then(function (stream) {
      window.cameraStreams.push(stream);
      return stream;
    });
  };
})();
"""
# Safari on iPhones has no BarcodeDetector: the scanner must not need it.
NO_BARCODE_DETECTOR = "delete window.BarcodeDetector;"
# Where a page may not use the camera (an old browser, or plain HTTP) there is no API.
NO_CAMERA_API = "Object.defineProperty(navigator, 'mediaDevices', { value: undefined });"
CHECKED_IN = {"nb": "Ana Silva er registrert", "en": "Ana Silva is checked in."}
CAMERA_ON = {
    "nb": "Kameraet er på.",
    "en": "The camera is on. Hold a ticket’s QR code in front of it.",
}
REFUSED = {
    "nb": "Siden har ikke lov til å bruke kameraet.",
    "en": "This page may not use the camera.",
}
UNSUPPORTED = {"nb": "Denne nettleseren kan ikke bruke kameraet", "en": "This browser cannot use"}


def write_y4m(path, text=None):
    """Write a short 640×480 video (YUV4MPEG2, 4:2:0) of ``text``'s QR code on white,
    or of a white wall without ``text``."""
    luma = bytearray(b"\xff" * (WIDTH * HEIGHT))
    if text is not None:
        qr = segno.make(text, error="m")  # as the ticket page makes it
        rows = [bytes(0 if dark else 255 for dark in row) for row in qr.matrix_iter(border=4)]
        scale = HEIGHT * 8 // 10 // len(rows)
        size = len(rows) * scale
        left, top = (WIDTH - size) // 2, (HEIGHT - size) // 2
        for y in range(size):
            row = rows[y // scale]
            start = (top + y) * WIDTH + left
            luma[start : start + size] = bytes(row[x // scale] for x in range(size))
    chroma = b"\x80" * (WIDTH // 2 * HEIGHT // 2)  # no colour
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    path.write_bytes(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * 2)


@pytest.fixture(scope="module")
def camera_video(tmp_path_factory):
    path = tmp_path_factory.mktemp("camera") / "camera.y4m"
    write_y4m(path)  # each test that reads a ticket writes its own
    return path


@pytest.fixture(scope="module")
def camera_browser(_playwright, camera_video):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={camera_video}",
        ],
        headless=True,
    )
    yield browser
    browser.close()


@pytest.fixture
def phone(camera_browser, asgi_server):
    """``new_phone(*, camera=True, init_scripts=())``: a 390 px page of its own context,
    allowed the camera or not, with its problems collected (``phone.problems``)."""
    contexts = []

    def new_phone(*, camera=True, init_scripts=()):
        context = camera_browser.new_context(
            base_url=str(asgi_server),
            viewport={"width": 390, "height": 844},
            permissions=["camera"] if camera else [],
        )
        contexts.append(context)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page = context.new_page()
        page.add_init_script(REPORT_CSP_VIOLATIONS)
        for script in init_scripts:
            page.add_init_script(script)
        page.problems = collect_problems(page)
        return page

    yield new_phone
    for context in contexts:
        context.close()


@pytest.fixture
def event_and_attendee(site_tree):
    unit = buddy_programme_create(site_tree["home"])
    event = event_create(unit, capacity=10, publish=True)
    signup = signup_create(event=event, user=UserFactory(first_name="Ana", last_name="Silva"))
    return unit, event, signup


def url(name, language, *args):
    with translation.override(language):
        return reverse(f"activities:{name}", args=args)


@pytest.mark.parametrize(
    ("language", "init_scripts"),
    [("en", (KEEP_STREAMS,)), ("nb", (KEEP_STREAMS, NO_BARCODE_DETECTOR))],
    ids=["en", "nb-without-barcode-detector"],
)
def test_organiser_checks_in_a_ticket_held_up_to_the_camera(
    asgi_server, event_and_attendee, camera_video, phone, language, init_scripts
):
    unit, event, signup = event_and_attendee
    organiser = UserFactory(language=language)
    unit_editor_add(unit=unit, user=organiser)
    ticket_url = f"{asgi_server}{url('ticket', language, signup.ticket_code)}"
    write_y4m(camera_video, ticket_url)
    page = phone(init_scripts=init_scripts)
    sign_in(page, asgi_server, organiser)
    page.goto(url("checkin", language, event.pk))
    if NO_BARCODE_DETECTOR in init_scripts:
        assert page.evaluate("() => 'BarcodeDetector' in window") is False
    scanner = page.locator("[data-checkin-scanner]")
    expect(scanner).to_be_visible()
    assert_no_axe_violations(page)

    scanner.locator("[data-scan-start]").click()
    result = page.locator("[data-checkin-result]")
    expect(result).to_contain_text(CHECKED_IN[language])
    expect(result).to_have_class(re.compile(r"checkin__result--ok"))
    expect(page.locator("[data-attendance-checked-in]")).to_have_text("1")
    expect(scanner.locator("[data-scan-video]")).to_be_visible()
    expect(scanner.locator("[data-scan-start]")).to_be_hidden()
    assert_no_axe_violations(page)
    with db_access():
        checked = Signup.objects.get(pk=signup.pk)
    assert checked.checked_in_at is not None
    assert checked.checked_in_by_id == organiser.pk

    stop = scanner.locator("[data-scan-stop]")
    expect(stop).to_be_focused()
    stop.click()
    expect(scanner.locator("[data-scan-video]")).to_be_hidden()
    expect(scanner.locator("[data-scan-start]")).to_be_focused()
    # Stopping ends every camera track the page opened.
    assert page.evaluate(
        "() => window.cameraStreams.length > 0 && window.cameraStreams.every("
        "(stream) => stream.getTracks().every((track) => track.readyState === 'ended'))"
    )
    page.problems.assert_none()


def test_leaving_the_page_turns_the_camera_off(
    asgi_server, event_and_attendee, camera_video, phone
):
    unit, event, _signup = event_and_attendee
    organiser = UserFactory(language="en")
    unit_editor_add(unit=unit, user=organiser)
    write_y4m(camera_video)  # no ticket in view
    page = phone(init_scripts=(KEEP_STREAMS,))
    sign_in(page, asgi_server, organiser)
    page.goto(url("checkin", "en", event.pk))
    page.locator("[data-scan-start]").click()
    expect(page.locator("[data-checkin-result]")).to_have_text(CAMERA_ON["en"])
    expect(page.locator("[data-scan-stop]")).to_be_visible()
    # Hidden as when the organiser switches apps or tabs: the page lets go of the camera.
    page.evaluate(
        "() => { Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    expect(page.locator("[data-scan-start]")).to_be_visible()
    assert page.evaluate(
        "() => window.cameraStreams.length === 1 && window.cameraStreams[0].getTracks()"
        ".every((track) => track.readyState === 'ended')"
    )
    page.problems.assert_none()


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_refused_camera_is_explained_and_typing_the_code_still_works(
    asgi_server, event_and_attendee, phone, language
):
    unit, event, signup = event_and_attendee
    organiser = UserFactory(language=language)
    unit_editor_add(unit=unit, user=organiser)
    page = phone(camera=False)
    sign_in(page, asgi_server, organiser)
    page.goto(url("checkin", language, event.pk))
    page.locator("[data-scan-start]").click()
    result = page.locator("[data-checkin-result]")
    expect(result).to_contain_text(REFUSED[language])
    expect(result).to_have_class(re.compile(r"checkin__result--error"))
    expect(page.locator("[data-scan-start]")).to_be_visible()
    expect(page.locator("[data-scan-video]")).to_be_hidden()
    assert_no_axe_violations(page)

    page.locator("[data-checkin-code-form] input[name='code']").fill(signup.ticket_code_display)
    page.locator("[data-checkin-code-form] button").click()
    expect(result).to_contain_text(CHECKED_IN[language])
    page.problems.assert_none()


def test_a_browser_without_camera_access_says_so_and_offers_no_camera_button(
    asgi_server, event_and_attendee, phone
):
    unit, event, _signup = event_and_attendee
    organiser = UserFactory(language="nb")
    unit_editor_add(unit=unit, user=organiser)
    page = phone(init_scripts=(NO_CAMERA_API,))
    sign_in(page, asgi_server, organiser)
    page.goto(url("checkin", "nb", event.pk))
    scanner = page.locator("[data-checkin-scanner]")
    expect(scanner.locator("[data-scan-unsupported]")).to_contain_text(UNSUPPORTED["nb"])
    expect(scanner.locator("[data-scan-start]")).to_be_hidden()
    assert_no_axe_violations(page)
    page.problems.assert_none()
