"""Wagtail admin views the site changes: creating a page saves it only when the editor says so;
copying a StreamField between languages is checked like every other admin action."""

import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.create import CreateView
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail_modeltranslation import wagtail_hooks as modeltranslation_hooks


class PageCreateView(CreateView):
    """Wagtail's page creation without autosave; autosave starts once the page exists.

    Autosaving a new page creates it while the form is still open: leaving the
    form then leaves a stray draft that holds the slug (starting again fails
    with "slug already in use"), and a Publish clicked while that first
    autosave is under way posts to the add view too and makes the page a
    second time. A new page is therefore made by Save draft or Publish only;
    its edit view autosaves as usual.
    """

    def post(self, request):
        if self.expects_json_response:
            # An autosave from a form opened before this view took over: create nothing.
            return self.json_error_response(
                "autosave_disabled", _("Save the page as a draft or publish it to create it.")
            )
        return super().post(request)

    def get_context_data(self, **kwargs):
        self.autosave_enabled = False
        context = super().get_context_data(**kwargs)
        context["autosave_indicator"] = None
        return context


def _translations_of_one_field(origin: str, target: str, fields: set[str]) -> bool:
    """Whether ``origin`` and ``target`` are two languages' versions of one of ``fields``."""
    languages = {code for code, _name in settings.LANGUAGES}
    base, _sep, origin_language = origin.rpartition("_")
    target_base, _sep, target_language = target.rpartition("_")
    return (
        origin in fields
        and target in fields
        and base == target_base
        and {origin_language, target_language} <= languages
        and origin_language != target_language
    )


def copy_translation_content(request: HttpRequest, page_id: int) -> HttpResponse:
    """wagtail-modeltranslation's "copy content from the other language" for StreamFields,
    with the checks its own view lacks.

    Its view is CSRF-exempt, checks no page permission and fails with a server
    error on a missing page or a request it does not expect. This one, routed
    ahead of it at the same address, takes a POST with the CSRF token its
    script sends, from someone who may edit the page, naming two translations
    of one StreamField of the page's model, and only then lets it render the
    copied field.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    page = get_object_or_404(Page, pk=page_id).specific_deferred
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    origin = request.POST.get("origin_field_name", "")
    target = request.POST.get("target_field_name", "")
    stream_fields = {
        field.name for field in type(page)._meta.get_fields() if isinstance(field, StreamField)
    }
    if not _translations_of_one_field(origin, target, stream_fields):
        return HttpResponseBadRequest(_("Choose two languages of one content field."))
    try:
        serialized = json.loads(request.POST.get("serializedOriginField", ""))
    except ValueError:
        serialized = None
    if not isinstance(serialized, list) or not all(
        isinstance(item, dict)
        and isinstance(item.get("name"), str)
        and isinstance(item.get("value", ""), str)
        for item in serialized
    ):
        return HttpResponseBadRequest(_("The content to copy could not be read."))
    request.META["HTTP_X_REQUESTED_WITH"] = "XMLHttpRequest"
    try:
        return modeltranslation_hooks.return_translation_target_field_rendered_html(
            request, page.pk
        )
    except (KeyError, ValueError):
        # The field's inputs are incomplete (no "-count", a count that is not a number, a
        # block without its type): the form's own script always sends them all.
        return HttpResponseBadRequest(_("The content to copy could not be read."))
