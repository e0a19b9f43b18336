"""Views of the buddy programme. Thin: forms clean, services decide, selectors read.

Every page works without JavaScript: forms post and redirect with a message.
The organisers' pages are for the editors of the round's volunteer group
(``selectors.round_may_organise``; the services check it again).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import forecast as forecasts
from . import selectors, services
from .errors import BuddyError, MatchingError
from .forms import BuddyRequestForm, BuddyVolunteerForm, RoundForm, RuleForm
from .models import Role


def _round_or_404(round_id):
    round = selectors.round_get(round_id=round_id)
    if round is None:
        raise Http404
    return round


def _organised_round(request, round_id):
    round = _round_or_404(round_id)
    if not selectors.round_may_organise(round=round, user=request.user):
        raise PermissionDenied
    return round


@never_cache
@login_required
@require_GET
def index(request):
    """Open rounds to join, one's own profiles and matches, and the rounds one organises."""
    return render(
        request,
        "buddies/index.html",
        {
            "open_rounds": selectors.rounds_open(),
            "profiles": selectors.profiles_of(user=request.user),
            "organised": selectors.rounds_organised_by(user=request.user),
            "may_create": bool(selectors.organising_units(user=request.user)),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    """Open a new round, for the editors of a volunteer group."""
    units = selectors.organising_units(user=request.user)
    if not units:
        raise PermissionDenied
    form = RoundForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round = services.round_create(
                unit=form.units[data["unit"]],
                name_nb=data["name_nb"],
                name_en=data["name_en"],
                semester_starts_on=data["semester_starts_on"],
                closes_on=data["closes_on"],
                by=request.user,
            )
        except BuddyError as error:
            form.add_error(error.extra.get("field"), error.message)
        else:
            messages.success(request, _("The round is open for sign-up."))
            return redirect("buddies:organise", round_id=round.pk)
    return render(
        request, "buddies/round_form.html", {"form": form}, status=400 if form.errors else 200
    )


def _initial(request, profile, role):
    """A new profile starts from the person's student profile, where they have one."""
    if profile is not None:
        return {
            "faculty": profile.faculty_id,
            "programme": profile.programme,
            "languages": profile.languages,
            "interests": profile.interests,
            "capacity": profile.capacity,
            "available_on": profile.available_on,
            "student_status": profile.student_status,
            "wants_same_faculty": profile.wants_same_faculty,
            "wants_language": profile.wants_language,
            "phone": profile.phone,
            "about": profile.about,
        }
    student = getattr(request.user, "student_profile", None)
    initial = {"languages": [request.user.language]}
    if student is not None:
        initial.update(
            faculty=student.faculty_id,
            programme=student.programme,
            interests=student.interests,
            available_on=student.arrival_date if role == Role.STUDENT else None,
            student_status=student.status,
        )
    return initial


def _profile_view(request, round_id, role):
    round = _round_or_404(round_id)
    profile = selectors.profile_for(round=round, user=request.user)
    if profile is not None and profile.role != role:
        messages.info(
            request,
            _("You take part in this round as a buddy.")
            if profile.is_buddy
            else _("You take part in this round as an arriving student."),
        )
        return redirect("buddies:index")
    form_class = BuddyVolunteerForm if role == Role.BUDDY else BuddyRequestForm
    locked = profile is not None and selectors.profile_is_locked(profile=profile)
    editable = round.is_open() and not locked
    form = form_class(
        request.POST if request.method == "POST" and editable else None,
        initial=_initial(request, profile, role),
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.profile_save(round=round, user=request.user, role=role, answers=form.answers())
        except BuddyError as error:
            field = error.extra.get("field")
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Thank you for volunteering. We will introduce you to your students.")
                if role == Role.BUDDY
                else _("Thank you. We will introduce you to your buddy."),
            )
            return redirect("buddies:index")
    elif request.method == "POST" and not editable:
        messages.error(
            request,
            _("Your answers can no longer change.")
            if locked
            else _("Sign-up for this round has closed."),
        )
        return redirect("buddies:index")
    return render(
        request,
        "buddies/profile_form.html",
        {
            "round": round,
            "role": role,
            "form": form,
            "profile": profile,
            "editable": editable,
            "locked": locked,
        },
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def volunteer(request, round_id):
    """Volunteer as a buddy, or change one's answers until sign-up closes."""
    return _profile_view(request, round_id, Role.BUDDY)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def ask(request, round_id):
    """Ask for a buddy, or change one's answers until sign-up closes."""
    return _profile_view(request, round_id, Role.STUDENT)


@login_required
@require_POST
def withdraw(request, round_id):
    round = _round_or_404(round_id)
    profile = selectors.profile_for(round=round, user=request.user)
    if profile is None:
        raise Http404
    try:
        services.profile_withdraw(profile=profile, user=request.user)
    except BuddyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have left %(round)s.") % {"round": round.name})
    return redirect("buddies:index")


@never_cache
@login_required
@require_GET
def mine(request, round_id):
    """One's own match: a student's buddy, or a buddy's students, once published."""
    round = _round_or_404(round_id)
    profile = selectors.profile_for(round=round, user=request.user)
    if profile is None:
        raise Http404
    context = {"round": round, "profile": profile}
    if profile.is_buddy:
        context["students"] = selectors.published_students_of(profile=profile)
    else:
        context["match"] = selectors.published_match_of(profile=profile)
    return render(request, "buddies/mine.html", context)


# --- Organisers ------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def organise(request, round_id):
    """The round for its organisers: counts, shortfall, proposed pairs and why, the unmatched."""
    round = _organised_round(request, round_id)
    overview = selectors.round_overview(round=round)
    students = selectors.students_of(round=round)
    buddies = selectors.buddies_of(round=round)
    return render(
        request,
        "buddies/organise.html",
        {
            "round": round,
            "overview": overview,
            "rows": selectors.match_rows(round=round),
            "rules": selectors.rules_of(round=round),
            "rule_form": RuleForm(students=students, buddies=buddies),
            "missing_buddies": overview.buddies_for(overview.missing_places),
            "languages_unspoken": overview.languages,
        },
    )


@login_required
@require_POST
def run(request, round_id):
    round = _organised_round(request, round_id)
    try:
        summary = services.matching_run(round=round, by=request.user)
    except MatchingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "The matching proposes %(count)s new pair; nobody is told until you publish.",
                "The matching proposes %(count)s new pairs; nobody is told until you publish.",
                summary.proposed,
            )
            % {"count": summary.proposed},
        )
    return redirect("buddies:organise", round_id=round.pk)


@login_required
@require_POST
def publish(request, round_id):
    round = _organised_round(request, round_id)
    try:
        count = services.matching_publish(round=round, by=request.user)
    except MatchingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s pair is published and introduced.",
                "%(count)s pairs are published and introduced.",
                count,
            )
            % {"count": count},
        )
    return redirect("buddies:organise", round_id=round.pk)


@login_required
@require_POST
def rule_add(request, round_id):
    round = _organised_round(request, round_id)
    form = RuleForm(
        request.POST,
        students=selectors.students_of(round=round),
        buddies=selectors.buddies_of(round=round),
    )
    if not form.is_valid():
        messages.error(request, _("Choose a student, a buddy and pin or forbid."))
        return redirect("buddies:organise", round_id=round.pk)
    try:
        services.rule_set(
            round=round,
            student_id=form.cleaned_data["student"],
            buddy_id=form.cleaned_data["buddy"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
    except MatchingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved. Run the matching again to apply it."))
    return redirect("buddies:organise", round_id=round.pk)


@login_required
@require_POST
def rule_clear(request, round_id, rule_id):
    round = _organised_round(request, round_id)
    try:
        services.rule_clear(round=round, rule_id=rule_id, by=request.user)
    except MatchingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Removed. Run the matching again to apply it."))
    return redirect("buddies:organise", round_id=round.pk)


@never_cache
@login_required
@require_GET
def forecast(request, round_id):
    """Weekly arrivals for the round's semester, for volunteer groups and faculties."""
    round = _round_or_404(round_id)
    if not forecasts.may_view_forecast(user=request.user):
        raise PermissionDenied
    report = forecasts.arrival_forecast(round=round)
    return render(
        request,
        "buddies/forecast.html",
        {
            "round": round,
            "report": report,
            "chart": forecasts.forecast_chart(report),
            "may_organise": selectors.round_may_organise(round=round, user=request.user),
        },
    )
