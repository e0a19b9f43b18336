"""The student profile page: asked for right after email verification, editable later."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onboarding.http import next_path

from .errors import ProfileError
from .profile_forms import StudentProfileForm
from .profile_selectors import profile_get
from .profile_services import profile_save


def _initial(user, profile):
    initial = {"language": user.language}
    if profile is not None:
        initial.update(
            status=profile.status,
            home_country=profile.home_country.code or "",
            home_institution=profile.home_institution,
            faculty=profile.faculty_id,
            department=profile.department_id,
            programme=profile.programme,
            arrival_date=profile.arrival_date,
            departure_date=profile.departure_date,
            norwegian_level=profile.norwegian_level,
            interests=list(profile.interests),
            contact_consent=profile.contact_consent,
        )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request):
    """Fill in or change the student profile; the first time leads on to the arrival plan."""
    user = request.user
    profile = profile_get(user=user)
    first_time = profile is None
    if request.method == "POST":
        form = StudentProfileForm(request.POST)
        if form.is_valid():
            try:
                profile_save(user=user, **form.cleaned_data)
            except ProfileError as error:
                form.add_error(error.field, error.message)
            else:
                language = form.cleaned_data["language"]
                with translation.override(language):
                    if first_time:
                        messages.success(
                            request, _("Your profile is saved. Here is your arrival plan.")
                        )
                        target = reverse("arrival_plan")
                    else:
                        messages.success(request, _("Your profile has been saved."))
                        target = reverse("profile_edit")
                next_url = next_path(request)
                if next_url:
                    return redirect(translate_url(next_url, language))
                return redirect(target)
    else:
        form = StudentProfileForm(initial=_initial(user, profile))
    return render(
        request,
        "accounts/profile_form.html",
        {"form": form, "first_time": first_time, "next": next_path(request)},
    )
