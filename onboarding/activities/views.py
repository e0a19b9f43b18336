"""Views of events: the listing, signup and cancellation, tickets, calendars, organiser tools.

Every view works without JavaScript (forms post and redirect back with a
message). The signup, cancel and check-in forms also answer JSON when asked
with ``Accept: application/json``, which activities.js uses to update the
page in place.
"""

import csv
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onboarding.bookings.models import BookingStatus
from onboarding.bookings.selectors import waitlist_text
from onboarding.bookings.views import holder_cancel_step
from onboarding.http import parse_id
from onboarding.privacy.models import ExportKind
from onboarding.privacy.services import export_record
from onboarding.units.selectors import unit_faculties

from . import selectors, services
from .calendars import event_calendar, feed_calendar
from .errors import CheckInError, OrganiserError, RecurrenceError, SignupError
from .forms import (
    SCOPE_THIS,
    CheckInCodeForm,
    CheckInSearchForm,
    EventCancelForm,
    EventFilterForm,
    EventMessageForm,
    RecurrenceForm,
    SignupAnswersForm,
)
from .forms import recurrence_initial as forms_recurrence_initial
from .page_context import event_context, panel_context, places_text
from .page_context import my_status as _my_status

PER_PAGE = 20
ORGANISER_PER_PAGE = 25
QR_SCALE = 8


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _domain(request):
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or request.get_host()


def _base_url(request):
    return f"{request.scheme}://{request.get_host()}"


def _live_event_or_404(event_id):
    event = selectors.event_get(event_id=event_id)
    if event is None:
        raise Http404
    return event


def _organised_event(request, event_id, *, check_in=False):
    """The event, if the person may organise it (with ``check_in``: see its attendees and check
    them in, as the unit's organisers may); login first for anonymous people."""
    event = selectors.event_get_any(event_id=event_id)
    if event is None:
        raise Http404
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    allowed = selectors.event_may_check_in if check_in else selectors.event_may_organise
    if not allowed(event=event, user=request.user):
        raise PermissionDenied
    return event, None


def _panel_html(request, event, **known):
    context = panel_context(request, event=event, **known)
    return render_to_string("activities/includes/signup_panel.html", context, request=request)


def _signup_response(request, event, *, ok, message, code="", status=200, **known):
    if _wants_json(request):
        places = known.get("places") or selectors.event_places(event=event)
        known["places"] = places
        return JsonResponse(
            {
                "ok": ok,
                "code": code,
                "message": message,
                "places": places.as_dict(),
                "panel_html": _panel_html(request, event, **known),
            },
            status=status,
        )
    (messages.success if ok else messages.error)(request, message)
    return redirect(event.get_url(request) or "/")


def _answers_refused(request, event, form, *, message):
    """The signup questions sent back with their errors: in the panel for activities.js, else
    on the event page itself (nothing was written).

    The JSON answer is a 200 with ``ok`` false: the form shown again, as the page shows it
    (a 4xx to a fetch is a console error in browsers, for what is an ordinary mistake)."""
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": False,
                "code": "answers_invalid",
                "message": message,
                "errors": form.error_dict(),
                "places": selectors.event_places(event=event).as_dict(),
                "panel_html": _panel_html(request, event, answer_form=form),
            }
        )
    messages.error(request, message)
    context = event.get_context(request)
    context.update(event_context(request, event=event, answer_form=form))
    return TemplateResponse(request, event.get_template(request), context, status=400)


def _answers_form(request, event, *, answers=()):
    questions = selectors.event_questions(event=event)
    if not questions:
        return None
    return SignupAnswersForm(request.POST, questions=questions, answers=answers)


@require_POST
def event_signup(request, event_id):
    """Sign up to an event (POST with CSRF), answering its signup questions if it asks any;
    anonymous people log in first."""
    event = _live_event_or_404(event_id)
    if not request.user.is_authenticated:
        if _wants_json(request):
            return JsonResponse(
                {"ok": False, "code": "login_required", "message": _("Log in to sign up.")},
                status=401,
            )
        return redirect_to_login(event.get_url(request))
    form = _answers_form(request, event)
    if form is not None and not form.is_valid():
        return _answers_refused(
            request, event, form, message=_("Check your answers to the questions.")
        )
    try:
        result = services.signup_book(
            event=event, user=request.user, answers=form.answers() if form else None
        )
    except SignupError as error:
        if error.code == "answers_invalid" and form is not None:
            form.add_refusal(error)
            return _answers_refused(request, event, form, message=error.message)
        return _signup_response(
            request, event, ok=False, code=error.code, message=error.message, status=409
        )
    return _signup_response(
        request,
        event,
        ok=True,
        code=result.signup.status,
        message=services.signup_message(
            signup=result.signup, position=result.position, noshows=result.noshows
        ),
        signup=result.signup,
        places=result.places,
        position=result.position,
    )


@require_POST
def event_answers(request, event_id):
    """Change one's answers to an event's signup questions (POST with CSRF), until it starts."""
    event = _live_event_or_404(event_id)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_url(request))
    signup = selectors.signup_for(event=event, user=request.user)
    form = _answers_form(request, event, answers=selectors.signup_answers(signup=signup))
    if form is None:
        return _signup_response(
            request,
            event,
            ok=False,
            code="no_questions",
            message=_("This event asks no questions."),
            status=409,
        )
    if signup is not None and signup.is_active and not form.is_valid():
        return _answers_refused(
            request, event, form, message=_("Check your answers to the questions.")
        )
    try:
        services.signup_answers_update(
            signup=signup, user=request.user, answers=form.answers() if form.is_valid() else {}
        )
    except SignupError as error:
        if error.code == "answers_invalid":
            form.add_refusal(error)
            return _answers_refused(request, event, form, message=error.message)
        return _signup_response(
            request, event, ok=False, code=error.code, message=error.message, status=409
        )
    return _signup_response(
        request, event, ok=True, code="answers_saved", message=_("Your answers are saved.")
    )


@require_POST
def event_cancel(request, event_id):
    """Cancel one's own signup to an event (POST with CSRF)."""
    event = _live_event_or_404(event_id)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_url(request))
    signup = selectors.signup_for(event=event, user=request.user)
    try:
        services.signup_cancel(signup=signup, user=request.user)
    except SignupError as error:
        return _signup_response(
            request, event, ok=False, code=error.code, message=error.message, status=409
        )
    return _signup_response(
        request, event, ok=True, code="cancelled", message=_("Your signup is cancelled.")
    )


@require_POST
def event_claim(request, event_id):
    """Claim a place offered from the waitlist (POST with CSRF)."""
    event = _live_event_or_404(event_id)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_url(request))
    signup = selectors.signup_for(event=event, user=request.user)
    try:
        signup = services.signup_offer_claim(signup=signup, user=request.user)
    except SignupError as error:
        return _signup_response(
            request, event, ok=False, code=error.code, message=error.message, status=409
        )
    return _signup_response(
        request,
        event,
        ok=True,
        code=signup.status,
        message=_("The place is yours. Your ticket is ready."),
        signup=signup,
    )


@never_cache
@require_GET
def event_places(request, event_id):
    """The event's places now, and the person's own status: what a page re-reads on reconnect."""
    event = _live_event_or_404(event_id)
    places = selectors.event_places(event=event)
    signup = selectors.signup_for(event=event, user=request.user)
    if signup is not None and not signup.is_active:
        signup = None
    mine = _my_status(signup, selectors.signup_position(signup=signup))
    data = {
        "event": event.pk,
        "cancelled": selectors.event_cancellation(event=event) is not None,
        **places.as_dict(),
        "text": places_text(places),
        "waitlist_text": waitlist_text(places),
        "mine": mine,
    }
    if request.GET.get("panel") == "1":
        # The signup panel as the page shows it, when the person's own status changed.
        data["panel_html"] = _panel_html(request, event)
    return JsonResponse(data)


@require_GET
def event_ics(request, event_id):
    """The event as a calendar file."""
    event = _live_event_or_404(event_id)
    body = event_calendar(
        event=event,
        domain=_domain(request),
        base_url=_base_url(request),
        language=get_language(),
        cancelled=selectors.event_cancellation(event=event) is not None,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"{slugify(event.slug or event.title) or 'event'}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The listing ---------------------------------------------------------------------------


@require_GET
def event_list(request):
    """Upcoming events with filters, 20 a page; "for you" first for a logged-in person."""
    user = request.user
    form = EventFilterForm(
        request.GET or None,
        units=selectors.event_filter_units(),
        faculties=list(unit_faculties()),
        allow_for_you=user.is_authenticated,
    )
    filters = form.filters(default_for_you=user.is_authenticated)
    events = selectors.event_list(filters=filters, user=user)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.event_rows(page.object_list, user=user)
    is_filtering = form.is_bound and any(
        value for name, value in request.GET.items() if name not in ("page", "order")
    )
    return render(
        request,
        "activities/event_list.html",
        {
            "form": form,
            "page_obj": page,
            "events": page.object_list,
            "for_you": filters.for_you,
            "is_filtering": is_filtering,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


# --- The person's own events, tickets and calendar -------------------------------------------


@never_cache
@login_required
@require_GET
def my_events(request):
    """The person's upcoming signups, their tickets, and their calendar subscription."""
    signups = list(selectors.signups_of(user=request.user))
    events = selectors.event_rows([signup.event for signup in signups], user=request.user)
    feed = selectors.calendar_feed_active(user=request.user)
    feed_url = webcal_url = ""
    if feed is not None:
        feed_url = request.build_absolute_uri(
            reverse("activities:calendar_feed", args=[feed.token])
        )
        webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(
        request,
        "activities/my_events.html",
        {"events": events, "feed": feed, "feed_url": feed_url, "webcal_url": webcal_url},
    )


@require_POST
@login_required
def calendar_feed_create(request):
    """Make (or show again) the person's calendar subscription address."""
    services.calendar_feed_create(user=request.user)
    messages.success(request, _("Your calendar address is ready. Add it to your calendar app."))
    return redirect("activities:my_events")


@require_POST
@login_required
def calendar_feed_revoke(request):
    """Turn off the calendar address; with ``renew``, make a new one at once."""
    revoked = services.calendar_feed_revoke(user=request.user)
    if request.POST.get("renew"):
        services.calendar_feed_create(user=request.user)
        messages.success(
            request,
            _("You have a new calendar address. The old one no longer works: update your app."),
        )
    elif revoked:
        messages.success(request, _("The calendar address is turned off."))
    return redirect("activities:my_events")


@require_GET
def calendar_feed(request, token):
    """A person's subscription feed, read by calendar apps without logging in (secret address)."""
    feed = selectors.calendar_feed_by_token(token=token)
    if feed is None:
        raise Http404
    body = feed_calendar(
        signups=selectors.feed_signups(user=feed.user),
        domain=_domain(request),
        base_url=_base_url(request),
        language=get_language(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@never_cache
@login_required
@require_GET
def ticket(request, code):
    """A signup's ticket with its QR code: for its owner, and for the event's organisers."""
    signup = selectors.ticket_get(code=code, user=request.user)
    if signup is None:
        raise Http404
    event = signup.event
    is_organiser = selectors.event_may_check_in(event=event, user=request.user)
    ticket_url = request.build_absolute_uri(reverse("activities:ticket", args=[signup.ticket_code]))
    qr = segno.make(ticket_url, error="m")
    return render(
        request,
        "activities/ticket.html",
        {
            "signup": signup,
            "event": event,
            "unit": event.unit,
            "position": selectors.signup_position(signup=signup),
            "cancellation": selectors.event_cancellation(event=event),
            "qr_data_uri": qr.svg_data_uri(scale=QR_SCALE, border=2, dark="#000", light="#fff"),
            "is_organiser": is_organiser,
            "is_own": signup.person_id == request.user.pk,
        },
    )


# --- Organiser tools -------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def organiser_events(request):
    """The events a person organises, with attendance and no-show rates."""
    events = selectors.events_organised_by(user=request.user)
    page = Paginator(events, ORGANISER_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.organiser_event_rows(page.object_list)
    return render(request, "activities/organiser_events.html", {"page_obj": page})


def _organiser_links(event):
    return {
        "attendees_url": reverse("activities:attendees", args=[event.pk]),
        "csv_url": reverse("activities:attendees_csv", args=[event.pk]),
        "checkin_url": reverse("activities:checkin", args=[event.pk]),
        "message_url": reverse("activities:message", args=[event.pk]),
        "cancel_event_url": reverse("activities:cancel_event", args=[event.pk]),
    }


def _organiser_render(request, event, template, context, *, status=200):
    """An organiser page: the event, its unit, its attendance and the tools' links, and more."""
    return render(
        request,
        template,
        {
            "event": event,
            "unit": event.unit,
            "attendance": selectors.event_attendance(event=event),
            **_organiser_links(event),
            **context,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def attendees(request, event_id):
    """The attendee list and the waitlist of an event, with attendance and the answers to its
    signup questions; people held back by the no-show rule are marked, and a POST (``give``:
    a signup id) gives one of them a free place (the event's editors only)."""
    event, response = _organised_event(request, event_id, check_in=True)
    if response:
        return response
    if request.method == "POST":
        if not selectors.event_may_organise(event=event, user=request.user):
            raise PermissionDenied
        return _give_place(request, event)
    marks = selectors.event_noshow_marks(event=event)
    waitlist = list(selectors.waitlist(event=event))
    for signup in waitlist:
        signup.noshows = marks.get(signup.pk)
    cancellation = selectors.event_cancellation(event=event)
    answers = selectors.answer_table(event=event)
    attendee_rows = [
        (signup, answers.of(signup)) for signup in selectors.attendee_list(event=event)
    ]
    waitlist_rows = [(signup, answers.of(signup)) for signup in waitlist]
    return _organiser_render(
        request,
        event,
        "activities/attendees.html",
        {
            "questions": answers.questions,
            "attendee_rows": attendee_rows,
            "waitlist_rows": waitlist_rows,
            "attendees": [signup for signup, _answers in attendee_rows],
            "waitlist": waitlist,
            "cancellation": cancellation,
            "contactable": selectors.contactable_people(event=event),
            "holds_on": selectors.event_holds_on(event=event),
            "any_held": bool(marks),
            "may_give": cancellation is None
            and not event.has_ended()
            and selectors.event_may_organise(event=event, user=request.user),
        },
    )


def _give_place(request, event):
    signup_id = parse_id(request.POST.get("give") or None)
    try:
        if signup_id is None:
            raise OrganiserError(
                code="not_held", message=_("This person is not on the waitlist here.")
            )
        signup = services.signup_place_give(event=event, by=request.user, signup_id=signup_id)
    except OrganiserError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s has the place and is told so.") % {"name": signup.person}
        )
    return redirect("activities:attendees", event.pk)


CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _export_status(signup, *, waitlisted):
    """The status column: the signup's status, or what it was when the event was cancelled."""
    if not signup.cancelled_with_event:
        return signup.get_status_display()
    if waitlisted:
        return _("On the waitlist (event cancelled)")
    return _("Had a place (event cancelled)")


@never_cache
@require_GET
def attendees_csv(request, event_id):
    """The attendee list and waitlist as CSV (UTF-8 with BOM, for spreadsheets).

    Emails only of the people who let the organisers contact them
    (:func:`selectors.contactable_people`).
    """
    event, response = _organised_event(request, event_id, check_in=True)
    if response:
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    suffix = _("attendees")
    filename = f"{slugify(event.slug or event.title) or 'event'}-{slugify(suffix)}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    answers = selectors.answer_table(event=event)
    writer = csv.writer(response)
    writer.writerow(
        [
            _("First name"),
            _("Last name"),
            _("Preferred name"),
            _("Email"),
            _("Status"),
            _("Waitlist position"),
            _("Signed up"),
            _("Checked in"),
            _("Held back: no-shows this semester"),
            *(_cell(question.label) for question in answers.questions),
        ]
    )
    queue_position = 0
    contactable = selectors.contactable_people(event=event)
    rows = selectors.export_rows(event=event)
    marks = selectors.event_noshow_marks(event=event)
    export_record(
        request=request, kind=ExportKind.EVENT_ATTENDEES, subject=event.title, people=len(rows)
    )
    for signup in rows:
        person = signup.person
        position = ""
        waitlisted = signup.status == BookingStatus.WAITLISTED or (
            signup.cancelled_with_event and signup.confirmed_at is None
        )
        if waitlisted:
            queue_position += 1
            position = queue_position
        writer.writerow(
            [
                _cell(person.first_name),
                _cell(person.last_name),
                _cell(person.preferred_name),
                _cell(person.email) if person.pk in contactable else "",
                _export_status(signup, waitlisted=waitlisted),
                position,
                _local(signup.booked_at),
                _local(signup.checked_in_at),
                marks.get(signup.pk, ""),
                *(_cell(text) for text in answers.of(signup)),
            ]
        )
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def checkin(request, event_id):
    """Check people in at the door: scan a QR code, type a code, or search by name."""
    event, response = _organised_event(request, event_id, check_in=True)
    if response:
        return response
    if request.method == "POST":
        return _checkin_post(request, event)
    search = CheckInSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    return _organiser_render(
        request,
        event,
        "activities/checkin.html",
        {
            "code_form": CheckInCodeForm(),
            "search_form": search,
            "query": query,
            "results": selectors.checkin_search(event=event, query=query) if query else None,
        },
    )


def _checkin_post(request, event):
    raw_signup_id = request.POST.get("signup") or None
    signup_id = parse_id(raw_signup_id)
    code = request.POST.get("code", "")
    undo = request.POST.get("undo") == "1"
    try:
        if signup_id is None and (undo or raw_signup_id is not None):
            # A person chosen from the list is sent by id: anything else names no ticket.
            raise CheckInError(code="unknown_ticket", message=_("No ticket has this code."))
        if undo and signup_id is not None:
            signup = services.checkin_undo(event=event, by=request.user, signup_id=signup_id)
            ok, outcome = True, "undone"
            message = _("Check-in of %(name)s is undone.") % {"name": signup.person}
        else:
            result = services.checkin_perform(
                event=event, by=request.user, code=code, signup_id=signup_id
            )
            signup = result.signup
            ok, message, outcome = (
                True,
                _("%(name)s is checked in.") % {"name": signup.person},
                "checked_in",
            )
    except CheckInError as error:
        ok, message, outcome = False, error.message, error.code
    attendance = selectors.event_attendance(event=event)
    if _wants_json(request):
        return JsonResponse(
            {
                "ok": ok,
                "code": outcome,
                "message": message,
                "checked_in": attendance.checked_in,
                "confirmed": attendance.confirmed,
            },
            status=200 if ok else 409,
        )
    if ok:
        messages.success(request, message)
    elif outcome == "already_checked_in":
        messages.warning(request, message)
    else:
        messages.error(request, message)
    target = reverse("activities:checkin", args=[event.pk])
    query = request.POST.get("q", "").strip()
    if query:
        target = f"{target}?{urlencode({'q': query})}"
    return redirect(target)


@never_cache
@require_http_methods(["GET", "POST"])
def message(request, event_id):
    """Write to everyone signed up, through the notification centre, in each one's language."""
    event, response = _organised_event(request, event_id)
    if response:
        return response
    form = EventMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.event_message_send(
                event=event,
                sender=request.user,
                message_nb=form.cleaned_data["message_nb"],
                message_en=form.cleaned_data["message_en"],
                include_waitlist=form.cleaned_data["include_waitlist"],
            )
        except OrganiserError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Your message is sent to %(count)s person.",
                    "Your message is sent to %(count)s people.",
                    count,
                )
                % {"count": count},
            )
            return redirect("activities:attendees", event.pk)
    return _organiser_render(
        request,
        event,
        "activities/message.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def cancel_event(request, event_id):
    """Call the event off: every signup is cancelled and each person told, in their language."""
    event, response = _organised_event(request, event_id)
    if response:
        return response
    cancellation = selectors.event_cancellation(event=event)
    step = holder_cancel_step(
        request,
        form_class=EventCancelForm,
        cancel=lambda **given: services.event_cancel(event=event, **given),
        told=lambda count: (
            ngettext(
                "The event is cancelled. %(count)s person signed up is told.",
                "The event is cancelled. %(count)s people signed up are told.",
                count,
            )
            % {"count": count}
        ),
        done_url=reverse("activities:attendees", args=[event.pk]),
    )
    if step.done:
        return step.done
    return _organiser_render(
        request,
        event,
        "activities/cancel_event.html",
        {
            "form": step.form,
            "cancellation": cancellation,
            "has_ended": event.has_ended(),
        },
        status=step.status,
    )


# --- Repeating event series -------------------------------------------------------------------


def _recurrence_errors(form, error):
    """Put a refused recurrence's message on its field (or on the whole form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@never_cache
@require_http_methods(["GET", "POST"])
def series_recurrence(request, series_id):
    """Make an event series repeat, or see its coming occurrences and change one of them."""
    series = selectors.series_get_any(series_id=series_id)
    if series is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.series_may_organise(series=series, user=request.user):
        raise PermissionDenied
    recurrence = selectors.series_recurrence_current(series=series)
    form = None
    if recurrence is None:
        form = RecurrenceForm(
            request.POST or None,
            initial={
                "title_nb": series.title_nb,
                "title_en": series.title_en,
                "waitlist_enabled": True,
                "event_language": "both",
                "frequency": "weekly",
                "duration_minutes": 120,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.recurrence_create(
                    series=series, by=request.user, given=form.recurrence_input()
                )
            except RecurrenceError as error:
                _recurrence_errors(form, error)
            else:
                messages.success(request, _("The series now repeats; its events are made."))
                return redirect("activities:series_recurrence", series.pk)
    elif request.method == "POST":
        return HttpResponse(status=405)
    return render(
        request,
        "activities/event_recurrence.html",
        {
            "series": series,
            "recurrence": recurrence,
            "occurrences": selectors.series_occurrences(series=series) if recurrence else [],
            "form": form,
            "weeks": settings.EVENTS_RECURRENCE_WEEKS,
        },
        status=400 if form is not None and form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def occurrence_recurrence(request, event_id):
    """Change one occurrence of a repeating series, or it and the following ones."""
    event, response = _organised_event(request, event_id)
    if response:
        return response
    recurrence = event.recurrence
    if recurrence is None or event.occurrence_date is None:
        raise Http404
    form = RecurrenceForm(
        request.POST or None,
        with_scope=True,
        initial=forms_recurrence_initial(recurrence, event=event),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["scope"] == SCOPE_THIS:
                services.occurrence_update(
                    event=event,
                    by=request.user,
                    day=data["starts_on"],
                    start_time=data["start_time"],
                    duration=timedelta(minutes=data["duration_minutes"]),
                    building=data["building"],
                    room=data["room"],
                    online_url=data["online_url"],
                )
                done = _("This occurrence is changed; people signed up are told.")
            else:
                split = services.recurrence_split(
                    recurrence=recurrence,
                    day=event.occurrence_date,
                    by=request.user,
                    given=form.recurrence_input(),
                )
                done = ngettext(
                    "The series is changed from this date on: %(count)s event is updated, and "
                    "people signed up are told.",
                    "The series is changed from this date on: %(count)s events are updated, "
                    "and people signed up are told.",
                    len(split.updated),
                ) % {"count": len(split.updated)}
        except RecurrenceError as error:
            _recurrence_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("activities:series_recurrence", recurrence.series_id)
    return _organiser_render(
        request,
        event,
        "activities/occurrence_recurrence.html",
        {"form": form, "series_id": recurrence.series_id},
        status=400 if form.errors else 200,
    )
