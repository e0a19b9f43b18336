"""The person's own data: "Download my data" as a page, as JSON and as a zip with their files."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .export import personal_data_copy, personal_data_json, personal_data_zip


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
