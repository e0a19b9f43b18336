"""Wagtail admin views the site changes: creating a page saves it only when the editor says so."""

from django.utils.translation import gettext as _
from wagtail.admin.views.pages.create import CreateView


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
