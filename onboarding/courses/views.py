"""Views of Norwegian courses: catalogue and course pages, applying, placement, coverage, participants.

Every view works without JavaScript: forms post and redirect back with a
message. courses.js only refreshes the free places when the live layer (or,
for anonymous readers, a timer) says they changed.
"""

import csv
from dataclasses import replace
from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onboarding.accounts.middleware import MFA_NEXT_SESSION_KEY
from onboarding.accounts.models import NorwegianLevel
from onboarding.bookings.selectors import waitlist_text
from onboarding.bookings.views import holder_cancel_step
from onboarding.privacy.models import ExportKind
from onboarding.privacy.services import export_record

from . import selectors, services
from .charts import coverage_chart
from .errors import EnrolmentError, PlacementError, ResultError
from .forms import (
    CourseCancelForm,
    CoverageFilterForm,
    PlacementForm,
    ResultForm,
    RoundRankingForm,
    RoundRulesForm,
)
from .levels import level_label
from .page_context import my_status as _my_status
from .page_context import places_text
from .placement import placement_score
from .plan import application_sentence

REPORT_PER_PAGE = 50
# Spreadsheet programs run a cell starting with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _live_course_or_404(course_id):
    course = selectors.course_get(course_id=course_id)
    if course is None:
        raise Http404
    return course


def _back(request, course):
    return redirect(course.get_url(request) or "/")


@require_POST
def enrol(request, course_id):
    """Apply for a course (POST with CSRF); anonymous people log in first."""
    course = _live_course_or_404(course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_url(request))
    try:
        enrolment = services.enrolment_create(course=course, user=request.user)
    except EnrolmentError as error:
        messages.error(request, error.message)
        return _back(request, course)
    messages.success(request, services.enrolment_message(enrolment=enrolment))
    return _back(request, course)


@require_POST
def swap(request, course_id):
    """Move one's place from a parallel course (same level and semester) to this one."""
    course = _live_course_or_404(course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_url(request))
    held = selectors.parallel_enrolment(course=course, user=request.user)
    if held is None:
        messages.error(request, _("You hold no place on a parallel course to swap from."))
        return _back(request, course)
    try:
        services.enrolment_swap(held=held, course=course, user=request.user)
    except EnrolmentError as error:
        messages.error(request, error.message)
        return _back(request, course)
    messages.success(
        request,
        _("You have swapped: your place is now on this course, not on %(course)s.")
        % {"course": held.course.title},
    )
    return _back(request, course)


def _round_course_or_404(course_id):
    course = _live_course_or_404(course_id)
    if not course.allocated_in_round:
        raise Http404
    return course


@login_required
@require_http_methods(["GET", "POST"])
def round_apply(request, course_id):
    """Rank the courses of a round (one level and semester) before the application closes."""
    course = _round_course_or_404(course_id)
    courses = selectors.round_courses(year=course.year, term=course.term, level=course.level_from)
    round = selectors.round_for_course(course=course)
    application = selectors.round_application_for(round=round, user=request.user)
    form = RoundRankingForm(request.POST or None, courses=courses, application=application)
    if request.method == "POST":
        if "withdraw" in request.POST:
            try:
                services.round_withdraw(course=course, user=request.user)
            except EnrolmentError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Your application is withdrawn."))
            return redirect("courses:round_apply", course_id=course.pk)
        if form.is_valid():
            try:
                services.round_apply(course=course, user=request.user, choices=form.ranked())
            except EnrolmentError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Your ranking is saved. The places are given after the application "
                        "closes; you will be told the result."
                    ),
                )
                return redirect("courses:round_apply", course_id=course.pk)
    return render(
        request,
        "courses/round_apply.html",
        {
            "course": course,
            "round": round,
            "application": application,
            "form": form,
            "application_state": course.application_state(timezone.now()),
            "application_text": application_sentence(course, timezone.now()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_allocate(request, course_id):
    """The language centre's round: its rules, a preview with a lot's seed, and allocating."""
    course = _round_course_or_404(course_id)
    # Asked before the round is made: a refused request leaves no round behind.
    if not selectors.course_round_may_manage(course=course, user=request.user):
        raise PermissionDenied
    round = services.round_get_or_create(course=course)
    rules_form = RoundRulesForm(request.POST or None, round=round)
    plan = None
    if request.method == "POST" and "rules" in request.POST:
        if rules_form.is_valid():
            try:
                services.round_rules_set(round=round, rules=rules_form.rules(), by=request.user)
            except EnrolmentError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The priority rules are saved."))
            return redirect("courses:round_allocate", course_id=course.pk)
    elif request.method == "POST" and "allocate" in request.POST:
        try:
            plan = services.round_allocate(
                round=round, by=request.user, seed=request.POST.get("seed") or None
            )
        except EnrolmentError as error:
            messages.error(request, error.message)
            return redirect("courses:round_allocate", course_id=course.pk)
        messages.success(
            request,
            ngettext(
                "The places are given: %(count)s student has a place; everyone is told.",
                "The places are given: %(count)s students have a place; everyone is told.",
                len(plan.placed),
            )
            % {"count": len(plan.placed)},
        )
        return redirect("courses:round_allocate", course_id=course.pk)
    round.refresh_from_db()
    error = None
    if round.allocated_at is None:
        try:
            plan = services.round_allocate(round=round, by=request.user, preview=True)
        except EnrolmentError as refused:
            error = refused.message
    return render(
        request,
        "courses/round_allocate.html",
        {
            "course": course,
            "round": round,
            "rules_form": rules_form,
            "plan": plan,
            "preview_rows": selectors.round_preview_rows(plan) if plan else [],
            "rows": selectors.round_applications(round=round),
            "error": error,
        },
    )


@require_POST
def cancel(request, course_id):
    """Give up one's own place or waitlist place (POST with CSRF)."""
    course = _live_course_or_404(course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_url(request))
    enrolment = selectors.enrolment_for(course=course, user=request.user)
    try:
        services.enrolment_cancel(enrolment=enrolment, user=request.user)
    except EnrolmentError as error:
        messages.error(request, error.message)
        return _back(request, course)
    messages.success(request, _("You have given up your place."))
    return _back(request, course)


@never_cache
@require_GET
def places(request, course_id):
    """The course's places now, and the person's own standing: what a page re-reads."""
    course = _live_course_or_404(course_id)
    current = selectors.course_places(course=course)
    enrolment = selectors.enrolment_for(course=course, user=request.user)
    if enrolment is not None and not enrolment.is_active:
        enrolment = None
    mine = _my_status(enrolment, selectors.enrolment_position(enrolment=enrolment))
    return JsonResponse(
        {
            "course": course.pk,
            **current.as_dict(),
            "text": places_text(current),
            "waitlist_text": waitlist_text(current),
            "mine": mine,
        }
    )


# --- Placement ----------------------------------------------------------------------------


def _result_context(request, *, level, skills, student, taken_at=None, stored=False):
    now = timezone.now()
    courses, refused = selectors.placement_courses(student=student, level=level, now=now)
    courses = [
        replace(row, application_text=application_sentence(row.course, now)) for row in courses
    ]
    refused = [
        replace(row, application_text=application_sentence(row.course, now)) for row in refused
    ]
    return {
        "level": level,
        "level_label": level_label(level),
        "skills": skills,
        "courses": courses,
        "refused_courses": refused,
        "taken_at": taken_at,
        "stored": stored,
        "has_profile": student.profile is not None,
        "catalogue": selectors.catalogue_get(),
    }


def _skill_rows(levels):
    from .models import PlacementSkill

    return [(skill.label, _skill_level_label(levels[skill.value])) for skill in PlacementSkill]


def _skill_level_label(level):
    # A skill with nothing ticked has no level to name ("None yet"): it is below the first one.
    return _("Below A1") if level == NorwegianLevel.NONE else level_label(level)


@never_cache
@require_http_methods(["GET", "POST"])
def placement(request):
    """The self-assessment: tick what you can do; get a level and the courses that fit.

    Anyone may take it. For a logged-in person the result is stored and put
    on their profile, and they are sent to their result; an anonymous person
    sees the result at once, with a prompt to log in to keep it.
    """
    if request.method == "POST":
        form = PlacementForm(request.POST)
        if form.is_valid():
            answers = form.answers()
            if request.user.is_authenticated:
                try:
                    result = services.placement_record(user=request.user, answers=answers)
                except PlacementError as error:
                    messages.error(request, error.message)
                else:
                    if result.profile_updated and result.level == NorwegianLevel.NONE:
                        messages.success(
                            request,
                            _(
                                "Your result is saved on your profile: you are new to "
                                "Norwegian, so start at A1."
                            ),
                        )
                    elif result.profile_updated:
                        messages.success(
                            request,
                            _("Your level, %(level)s, is saved on your profile.")
                            % {"level": level_label(result.level)},
                        )
                    else:
                        messages.info(
                            request,
                            _(
                                "Your result is kept. Fill in your student profile to see the "
                                "courses your status and stay admit you to."
                            ),
                        )
                    return redirect("courses:placement_result")
            else:
                level, levels = placement_score(answers)
                context = _result_context(
                    request,
                    level=level,
                    skills=_skill_rows(levels),
                    student=selectors.student_get(user=None),
                )
                return render(request, "courses/placement_result.html", context)
        return render(request, "courses/placement.html", {"form": form}, status=400)
    return render(
        request,
        "courses/placement.html",
        {"form": PlacementForm(), "latest": selectors.placement_latest(user=request.user)},
    )


@never_cache
@login_required
@require_GET
def placement_result(request):
    """The person's latest placement result and the courses that fit it."""
    result = selectors.placement_latest(user=request.user)
    if result is None:
        return redirect("courses:placement")
    levels = {
        skill: getattr(result, skill) for skill in ("listening", "reading", "speaking", "writing")
    }
    context = _result_context(
        request,
        level=result.level,
        skills=_skill_rows(levels),
        student=selectors.student_get(user=request.user),
        taken_at=result.taken_at,
        stored=True,
    )
    return render(request, "courses/placement_result.html", context)


# --- Coverage -----------------------------------------------------------------------------


def _coverage_access(request):
    """None when the person may see the report; else the response to give instead.

    The report lists students by name, so, as for the admin, staff must use
    two-factor authentication: without an authenticator they are sent to set
    one up and come back here after.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.may_view_coverage(user=request.user):
        raise PermissionDenied
    if not is_mfa_enabled(request.user):
        next_url = request.get_full_path()
        request.session[MFA_NEXT_SESSION_KEY] = next_url
        messages.info(
            request, _("Set up two-factor authentication first: the report lists students by name.")
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': next_url})}")
    return None


def _coverage_filters(request):
    form = CoverageFilterForm(request.GET or None, faculties=selectors.coverage_faculties())
    faculty_id, status = form.values()
    return form, faculty_id, status


@never_cache
@require_GET
def coverage(request):
    """For the International Section: who has a place, a waitlist place, or nothing, by faculty."""
    denied = _coverage_access(request)
    if denied is not None:
        return denied
    form, faculty_id, status = _coverage_filters(request)
    report = selectors.coverage_report(faculty_id=faculty_id, status=status)
    students = selectors.offered_nothing(faculty_id=faculty_id, status=status)
    page = Paginator(students, REPORT_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.offered_nothing_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courses/coverage.html",
        {
            "form": form,
            "report": report,
            "chart": coverage_chart(report),
            "page_obj": page,
            "students": page.object_list,
            "query": query.urlencode(),
            "status_filtered": bool(status),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def _cell(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _date(value):
    return value.isoformat() if value else ""


@never_cache
@require_GET
def coverage_csv(request):
    """The students offered nothing (with the report's filters), as CSV."""
    denied = _coverage_access(request)
    if denied is not None:
        return denied
    _form, faculty_id, status = _coverage_filters(request)
    rows = selectors.offered_nothing_rows(
        selectors.offered_nothing(faculty_id=faculty_id, status=status)
    )
    export_record(
        request=request,
        kind=ExportKind.COURSE_COVERAGE,
        subject=_("Students offered no Norwegian course"),
        people=len(rows),
    )
    filename = f"offered-nothing-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Name"),
            _("Email"),
            _("Status"),
            _("Faculty"),
            _("Department"),
            _("Arrival"),
            _("Departure"),
            _("Norwegian level"),
            _("Placement result"),
            _("Suggested course"),
            _("Application opens"),
            _("Application closes"),
        ]
    )
    for row in rows:
        profile, course = row.profile, row.suggestion
        writer.writerow(
            [
                _cell(profile.user.get_full_name()),
                _cell(profile.user.email),
                _cell(profile.get_status_display()),
                _cell(profile.faculty.title if profile.faculty else ""),
                _cell(profile.department.title if profile.department else ""),
                _date(profile.arrival_date),
                _date(profile.departure_date),
                _cell(level_label(row.level)),
                _cell(level_label(row.placement_level) if row.placement_level else ""),
                _cell(course.title if course else ""),
                _date(timezone.localtime(course.application_opens_at).date() if course else None),
                _date(timezone.localtime(course.application_closes_at).date() if course else None),
            ]
        )
    return response


# --- Participants -------------------------------------------------------------------------


def _managed_course(request, course_id):
    """The course, published or not, if the person may manage it (see ``course_may_manage``)."""
    course = selectors.course_get_any(course_id=course_id)
    if course is None:
        raise Http404
    if not selectors.course_may_manage(course=course, user=request.user):
        raise PermissionDenied
    return course


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def participants(request, course_id):
    """For the course's editors: who has a place and who waits, and recording results."""
    course = _managed_course(request, course_id)
    if request.method == "POST":
        form = ResultForm(request.POST)
        if form.is_valid():
            enrolment = (
                course.enrolments.select_related("person", "course")
                .filter(pk=form.cleaned_data["enrolment"])
                .first()
            )
            try:
                if enrolment is None:
                    raise ResultError(
                        code="not_found", message=_("This person is not on the course.")
                    )
                services.enrolment_result_set(
                    enrolment=enrolment, result=form.cleaned_data["result"], by=request.user
                )
            except ResultError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("The result of %(name)s is saved.") % {"name": enrolment.person}
                )
        else:
            messages.error(request, _("Choose passed or not passed."))
        return redirect("courses:participants", course_id=course.pk)
    rows = selectors.participants(course=course)
    return render(
        request,
        "courses/participants.html",
        {
            "course": course,
            "rows": rows,
            "places": selectors.course_places(course=course),
            "result_choices": ResultForm.base_fields["result"].choices,
            "cancellation": selectors.course_cancellation(course=course),
            "has_ended": course.has_ended(),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def cancel_course(request, course_id):
    """Call the course off: every enrolment is cancelled and each person told, in their language."""
    course = _managed_course(request, course_id)
    cancellation = selectors.course_cancellation(course=course)
    step = holder_cancel_step(
        request,
        form_class=CourseCancelForm,
        cancel=lambda **given: services.course_cancel(course=course, **given),
        told=lambda count: (
            ngettext(
                "The course is cancelled. %(count)s person with a place or on the "
                "waitlist is told.",
                "The course is cancelled. %(count)s people with a place or on the "
                "waitlist are told.",
                count,
            )
            % {"count": count}
        ),
        done_url=reverse("courses:participants", kwargs={"course_id": course.pk}),
    )
    if step.done:
        return step.done
    return render(
        request,
        "courses/cancel_course.html",
        {
            "course": course,
            "form": step.form,
            "cancellation": cancellation,
            "has_ended": course.has_ended(),
            "places": selectors.course_places(course=course),
        },
        status=step.status,
    )
