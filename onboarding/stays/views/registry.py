"""Views: the student's own stays abroad ("My stays abroad"), under /en/exchange/abroad/ and
/nb/utveksling/utlandet/.

A student lists, registers, changes and deletes their own stays, and updates
the phone number and address abroad from their phone in a few seconds. Every
stay URL answers 404 to anyone but the stay's student, as if it did not exist;
anonymous people go to the login page. The views parse input, call
``services.registry`` and show the result or the refusal on the field it names.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from onboarding.exchange.selectors import student_programme

from ..forms.registry import (
    PLAN_B_ROWS_MORE,
    PLAN_B_ROWS_NEW,
    ContactForm,
    PlanBFormSet,
    StayForm,
)
from ..models import StayAbroad
from ..selectors.crisis import open_checks_for
from ..selectors.registry import (
    plan_b_catalogue,
    programme_courses,
    stay_agreements,
    stay_own,
    student_stays,
)
from ..services.registry import (
    MAX_PLAN_B,
    StayError,
    StayInput,
    stay_contact_update,
    stay_create,
    stay_delete,
    stay_update,
)

PLAN_B_PREFIX = "planb"


def _stay_or_404(request: HttpRequest, stay_id: int) -> StayAbroad:
    stay = stay_own(stay_id=stay_id, user=request.user)
    if stay is None:
        raise Http404
    return stay


def _erase_on(stay: StayAbroad) -> datetime.date:
    """The day the stay's personal details are erased (the retention's first day past)."""
    return stay.ends_on + datetime.timedelta(days=settings.STAY_RETENTION_DAYS + 1)


def _status(stay: StayAbroad, today: datetime.date) -> str:
    if stay.erased_at is not None:
        return "erased"
    if stay.starts_on > today:
        return "upcoming"
    if stay.ends_on < today:
        return "ended"
    return "now"


STATUS_LABELS = {
    "now": gettext_lazy("Abroad now"),
    "upcoming": gettext_lazy("Coming up"),
    "ended": gettext_lazy("Ended"),
    "erased": gettext_lazy("Ended; personal details erased"),
}


@login_required
@require_http_methods(["GET", "HEAD"])
def my_stays(request: HttpRequest) -> HttpResponse:
    """The student's own stays, latest first, with the quick phone and address change, and any
    safety check of an open crisis they have not answered "I am safe" to."""
    today = timezone.localdate()
    rows = [
        {
            "stay": stay,
            "status": _status(stay, today),
            "status_label": STATUS_LABELS[_status(stay, today)],
            "erase_on": _erase_on(stay),
        }
        for stay in student_stays(user=request.user)
    ]
    return render(
        request,
        "stays/registry/my_stays.html",
        {
            "rows": rows,
            "retention_days": settings.STAY_RETENTION_DAYS,
            # A safety check of an open crisis shows here too, and arrives live.
            "open_checks": open_checks_for(request.user),
        },
    )


# --- The stay form ------------------------------------------------------------------------------


def _catalogue(
    request: HttpRequest, starts_on: datetime.date | None
) -> tuple[dict[int, Any], list[Any], bool]:
    """Every course of the student's programme (what a choice may be), the courses offered
    (those of the stay's semester) and whether the student has a programme at all."""
    mine = student_programme(user=request.user)
    if mine is None:
        return {}, [], False
    every = programme_courses(programme=mine.programme, semesters=range(1, 13))
    shown = plan_b_catalogue(user=request.user, starts_on=starts_on)
    return {course.pk: course for course in every}, shown, True


def _initial(stay: StayAbroad) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(stay, name)
        for name in (
            "host_name",
            "city",
            "starts_on",
            "ends_on",
            *StayAbroad.PERSONAL_FIELDS,
        )
    }
    values["agreement"] = stay.agreement_id or ""
    values["country"] = str(stay.country)
    return values


def _chosen(request: HttpRequest) -> dict[str, Any]:
    """A destination page links to a new stay with its agreement chosen (``?agreement=<id>``)."""
    chosen = str(request.GET.get("agreement", ""))
    return {"agreement": int(chosen)} if chosen.isdigit() and len(chosen) < 19 else {}


def _plan_b_initial(stay: StayAbroad) -> list[dict[str, Any]]:
    return [
        {"course": row.course_id or "", "code": row.code, "title": row.title, "ects": row.ects}
        for row in stay.plan_b_courses.all()
    ]


def _input(form: StayForm, formset: Any) -> StayInput:
    data = form.cleaned_data
    rows = [row for plan_b in formset.forms if (row := plan_b.row()) is not None]
    return StayInput(
        agreement=data["agreement"],
        host_name=data["host_name"],
        city=data["city"],
        country=data["country"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        local_address=data["local_address"],
        local_phone=data["local_phone"],
        emergency_name=data["emergency_name"],
        emergency_relation=data["emergency_relation"],
        emergency_phone=data["emergency_phone"],
        emergency_email=data["emergency_email"],
        second_name=data["second_name"],
        second_phone=data["second_phone"],
        second_email=data["second_email"],
        plan_b=rows,
        consent=data["consent"],
    )


def _posted_start(request: HttpRequest) -> datetime.date | None:
    try:
        return parse_date(str(request.POST.get("starts_on", ""))[:10])
    except ValueError:
        return None


def _stay_form(request: HttpRequest, stay: StayAbroad | None) -> HttpResponse:
    """Register (``stay`` None) or change a stay: the host, place and dates, how to reach the
    student and their people at home, the plan-B courses, and the consent."""
    agreements = stay_agreements(include=stay.agreement if stay is not None else None)
    plan_b_errors: list[str] = []
    if request.method == "POST":
        starts_on = _posted_start(request)
        courses, shown, has_programme = _catalogue(request, starts_on)
        form = StayForm(request.POST, agreements=agreements)
        formset = PlanBFormSet(
            request.POST,
            prefix=PLAN_B_PREFIX,
            form_kwargs={"courses": courses, "shown": shown},
        )
        if form.is_valid() and formset.is_valid():
            data = _input(form, formset)
            user: Any = request.user
            try:
                if stay is None:
                    stay_create(student=user, data=data)
                else:
                    stay_update(stay=stay, user=user, data=data)
            except StayError as error:
                if error.code == "forbidden":
                    raise Http404 from error
                if error.field == "plan_b":
                    plan_b_errors.append(str(error.message))
                else:
                    form.add_error(
                        error.field if error.field in form.fields else None, str(error.message)
                    )
            else:
                messages.success(
                    request,
                    _("Your stay abroad is saved.")
                    if stay is None
                    else _("Your stay abroad is changed."),
                )
                return redirect("stays:my_stays")
        elif not formset.is_valid():
            plan_b_errors.append(_("Check the plan-B courses: some values are not valid."))
        status = 400
    else:
        starts_on = stay.starts_on if stay is not None else None
        courses, shown, has_programme = _catalogue(request, starts_on)
        form = StayForm(initial=_initial(stay) if stay else _chosen(request), agreements=agreements)
        initial = _plan_b_initial(stay) if stay is not None else []
        formset = PlanBFormSet(
            prefix=PLAN_B_PREFIX,
            initial=initial,
            form_kwargs={"courses": courses, "shown": shown},
        )
        rows = PLAN_B_ROWS_MORE if initial else PLAN_B_ROWS_NEW
        formset.extra = max(0, min(rows, MAX_PLAN_B - len(initial)))
        status = 200
    return render(
        request,
        "stays/registry/stay_form.html",
        {
            "stay": stay,
            "form": form,
            "formset": formset,
            "plan_b_errors": plan_b_errors,
            "has_programme": has_programme,
            "catalogue": shown,
            "retention_days": settings.STAY_RETENTION_DAYS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stay_new(request: HttpRequest) -> HttpResponse:
    """Register a new stay abroad."""
    return _stay_form(request, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stay_edit(request: HttpRequest, stay_id: int) -> HttpResponse:
    """Change the student's own stay (404 for anyone else's)."""
    stay = _stay_or_404(request, stay_id)
    if stay.erased_at is not None:
        messages.error(
            request,
            _(
                "The personal details of this stay were erased after it ended, so it can no "
                "longer be changed."
            ),
        )
        return redirect("stays:my_stays")
    return _stay_form(request, stay)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stay_contact(request: HttpRequest, stay_id: int) -> HttpResponse:
    """The quick change from a phone: the phone number and the address abroad, one button."""
    stay = _stay_or_404(request, stay_id)
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                stay_contact_update(
                    stay=stay,
                    user=request.user,
                    local_phone=form.cleaned_data["local_phone"],
                    local_address=form.cleaned_data["local_address"],
                )
            except StayError as error:
                if error.code == "erased":
                    messages.error(request, str(error.message))
                    return redirect("stays:my_stays")
                form.add_error(
                    error.field if error.field in form.fields else None, str(error.message)
                )
            else:
                messages.success(request, _("Your phone number and address abroad are saved."))
                return redirect("stays:my_stays")
        status = 400
    else:
        form = ContactForm(
            initial={"local_phone": stay.local_phone, "local_address": stay.local_address}
        )
        status = 200
    return render(
        request, "stays/registry/contact_form.html", {"stay": stay, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stay_remove(request: HttpRequest, stay_id: int) -> HttpResponse:
    """Ask, then delete the student's own stay with its plan-B courses."""
    stay = _stay_or_404(request, stay_id)
    if request.method == "POST":
        try:
            stay_delete(stay=stay, user=request.user)
        except StayError as error:
            raise Http404 from error
        messages.success(request, _("The stay is deleted."))
        return redirect("stays:my_stays")
    return render(request, "stays/registry/stay_delete.html", {"stay": stay})


urlpatterns = [
    path("", my_stays, name="my_stays"),
    path(gettext_lazy("new/"), stay_new, name="stay_new"),
    path(gettext_lazy("<id:stay_id>/edit/"), stay_edit, name="stay_edit"),
    path(gettext_lazy("<id:stay_id>/phone-and-address/"), stay_contact, name="stay_contact"),
    path(gettext_lazy("<id:stay_id>/delete/"), stay_remove, name="stay_delete"),
]
