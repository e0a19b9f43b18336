"""The person's own data: "Download my data" as a page, as JSON and as a zip with their files;
deleting one's account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from .errors import PrivacyError
from .export import personal_data_copy, personal_data_json, personal_data_zip
from .forms import AccountDeleteForm
from .selectors import privacy_notice
from .services import account_erase


@require_GET
def notice(request: HttpRequest) -> HttpResponse:
    """The privacy notice: what the site keeps, why, on what basis and for how long."""
    return render(request, "privacy/notice.html", {"purposes": privacy_notice()})


@never_cache
@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the site holds about the person, readable, with links to the downloads."""
    copy = personal_data_copy(user=request.user)
    return render(request, "privacy/my_data.html", {"copy": copy})


@never_cache
@login_required
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    """The same as JSON, as a file to keep."""
    copy = personal_data_copy(user=request.user)
    response = HttpResponse(personal_data_json(copy), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="velkommen-my-data.json"'
    return response


@never_cache
@login_required
@require_GET
def my_data_zip(request: HttpRequest) -> FileResponse:
    """The JSON and every file the person uploaded, in one zip."""
    copy = personal_data_copy(user=request.user)
    return FileResponse(
        personal_data_zip(copy, user=request.user),
        as_attachment=True,
        filename="velkommen-my-data.zip",
        content_type="application/zip",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete one's own account, after giving the password again."""
    user = request.user
    form = AccountDeleteForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            account_erase(user=user, by=user)
        except PrivacyError as error:
            form.add_error(None, str(error.message))
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted. Goodbye, and good luck."))
            return redirect("/" + (translation.get_language() or settings.LANGUAGE_CODE) + "/")
    return render(request, "privacy/account_delete.html", {"form": form})
