"""Admin of earlier decisions: the decisions with their two sides, and the import of lists.

The International Section's staff keep every decision (model permissions through the
``INTERNATIONAL_STAFF_PERMISSIONS`` hook); the editors of a unit keep its decisions
and those of the units below it (``permissions.may_edit_precedent_unit``). Saving a
decision in the admin rebuilds its search text through the service, in the same
transaction.

The import (``imports.py``) runs inside the upload's request: the rows are checked,
then the new decisions written in one transaction. While it runs, the page that sent
the file asks ``import_progress`` how far it has come (``static/js/approvals-import.js``),
which reads what the import writes to the cache under the page's ``job`` key; without
JavaScript the browser simply waits for the result page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from onboarding.units.owned import InstanceCheckedMixin

from .errors import ApprovalError
from .forms.precedents import (
    JOB_PATTERN,
    PrecedentAdminForm,
    PrecedentImportForm,
    deciding_units,
)
from .imports import ImportResult, csv_rows, csv_template, rows_import
from .models import CourseApproval
from .permissions import edited_paths, may_edit_precedent_unit
from .selectors.precedents import search_words
from .services.precedents import precedent_search_text_refresh

STAFF_PRECEDENT_PERMISSION = "approvals.change_courseapproval"
IMPORT_STAFF_PERMISSION = "approvals.add_courseapproval"
# How long the progress of an import is kept for the page that asks.
PROGRESS_SECONDS = 3600


def keeps_some_unit(user: Any) -> bool:
    """Whether ``user`` edits a faculty, a department or the International Section (or a unit
    above one), and so keeps some unit's decisions (kept on the user for the request)."""
    if not edited_paths(user):
        return False
    cached: bool | None = getattr(user, "_approvals_keeps_some_unit", None)
    if cached is None:
        cached = deciding_units(user).exists()
        setattr(user, "_approvals_keeps_some_unit", cached)  # noqa: B010
    return cached


def kept_precedents_q(user: Any) -> Q:
    """A filter for the decisions ``user`` keeps: all for staff, their units' for editors."""
    if user.is_authenticated and user.is_active and user.has_perm(STAFF_PRECEDENT_PERMISSION):
        return Q()
    paths = edited_paths(user)
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for unit_path in paths:
        condition |= Q(deciding_unit__path__startswith=unit_path)
    return condition


class DecidingUnitPermissionPolicy(ModelPermissionPolicy):
    """Model permissions for staff; for unit editors, the decisions of the units they keep."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        if super().user_has_permission(user, action):
            return True
        return action in {"add", "change", "delete", "view"} and keeps_some_unit(user)

    def user_has_permission_for_instance(self, user: Any, action: str, instance: Any) -> bool:
        if super().user_has_permission(user, action):
            return True
        unit = instance.deciding_unit if instance.deciding_unit_id else None
        return (
            action in {"change", "delete", "view"}
            and unit is not None
            and may_edit_precedent_unit(user=user, unit=unit)
        )

    def instances_user_has_any_permission_for(self, user: Any, actions: Any) -> QuerySet:
        queryset = self.model._default_manager.all()
        if any(ModelPermissionPolicy.user_has_permission(self, user, action) for action in actions):
            return queryset
        return queryset.filter(kept_precedents_q(user))


register_permission_policy(CourseApproval, DecidingUnitPermissionPolicy(CourseApproval))


class SearchTextMixin:
    """After the form has saved the decision and its two sides, the service rebuilds its
    search text, inside the view's transaction."""

    def save_instance(self) -> CourseApproval:
        instance = super().save_instance()  # type: ignore[misc]
        return precedent_search_text_refresh(approval=instance)


class PrecedentCreateView(SearchTextMixin, snippet_views.CreateView):
    pass


class PrecedentEditView(InstanceCheckedMixin, SearchTextMixin, snippet_views.EditView):
    pass


class PrecedentDeleteView(InstanceCheckedMixin, snippet_views.DeleteView):
    instance_permission = "delete"


class PrecedentIndexView(snippet_views.IndexView):
    """Unit editors list their units' decisions; staff list all."""

    def get_base_queryset(self) -> QuerySet:
        return (
            super()
            .get_base_queryset()
            .filter(kept_precedents_q(self.request.user))
            .select_related("institution", "deciding_unit")
            .prefetch_related("foreign_courses", "home_courses")
        )

    def search_queryset(self, queryset: QuerySet) -> QuerySet:
        """Every word must appear, as in the public search (and through the same index)."""
        if not self.is_searching:
            return queryset
        for word in search_words(self.search_query):
            queryset = queryset.filter(search_text__contains=word)
        return queryset


def _codes(approval: CourseApproval) -> str:
    return " + ".join(course.code for course in approval.foreign_courses.all())


def _home_codes(approval: CourseApproval) -> str:
    return " + ".join(
        course.code or course.get_kind_display() for course in approval.home_courses.all()
    )


FOREIGN_PANELS = [
    FieldRowPanel([FieldPanel("code"), FieldPanel("ects")]),
    FieldPanel("title"),
    FieldRowPanel([FieldPanel("level"), FieldPanel("taught")]),
    FieldPanel("url"),
]
HOME_PANELS = [
    FieldRowPanel([FieldPanel("kind"), FieldPanel("ects")]),
    FieldRowPanel([FieldPanel("code"), FieldPanel("title_nb"), FieldPanel("title_en")]),
    FieldRowPanel([FieldPanel("elective_level"), FieldPanel("elective_field")]),
]


class PrecedentViewSet(SnippetViewSet):
    model = CourseApproval
    icon = "tick-inverse"
    menu_label = gettext_lazy("Earlier course decisions")
    menu_name = "approvals-precedents"
    menu_order = 263
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = [
        "institution",
        Column("foreign", label=gettext_lazy("Courses abroad"), accessor=_codes),
        Column("home", label=gettext_lazy("Approved as"), accessor=_home_codes),
        "deciding_unit",
        "decided_on",
        "valid_until",
        "source",
    ]
    list_filter = ["source"]
    search_fields = ["search_text"]
    # The listing keeps searching the column (the model is indexed for the site search).
    search_backend_name = None
    ordering = ["-decided_on", "-pk"]
    index_view_class = PrecedentIndexView
    add_view_class = PrecedentCreateView
    edit_view_class = PrecedentEditView
    delete_view_class = PrecedentDeleteView
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    # Selects, not choosers: Wagtail's chooser fails to show back a value
                    # that is not an id, and the lists are short.
                    FieldPanel("institution", widget=forms.Select),
                    FieldPanel("deciding_unit", widget=forms.Select),
                    FieldRowPanel([FieldPanel("decided_on"), FieldPanel("valid_until")]),
                    FieldPanel("isced"),
                ],
                heading=gettext_lazy("Decision"),
            ),
            InlinePanel(
                "foreign_courses",
                heading=gettext_lazy("Courses abroad (several: approved together)"),
                label=gettext_lazy("Course abroad"),
                min_num=1,
                panels=FOREIGN_PANELS,
            ),
            InlinePanel(
                "home_courses",
                heading=gettext_lazy("Approved as"),
                label=gettext_lazy("Course of ours or elective"),
                min_num=1,
                panels=HOME_PANELS,
            ),
            FieldPanel("note"),
        ],
        base_form_class=PrecedentAdminForm,
    )


register_snippet(PrecedentViewSet)


# --- The import -------------------------------------------------------------------------------


def may_import(user: Any) -> bool:
    """Staff, and the editors of deciding units (each row must be of a unit they keep)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.has_perm(IMPORT_STAFF_PERMISSION) or keeps_some_unit(user))
    )


def _progress_key(user: Any, job: str) -> str:
    return f"approvals:precedent-import:{user.pk}:{job}"


class ImportView(WagtailAdminTemplateMixin, TemplateView):
    """Upload a CSV list of earlier decisions; bad rows are reported, nothing half-imported."""

    page_title = gettext_lazy("Import earlier course decisions")
    header_icon = "upload"
    template_name = "approvals/precedent_import.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PrecedentImportForm(user=self.request.user))
        # The key the next upload from this page reports its progress under.
        context["job"] = uuid.uuid4().hex
        return context

    def _refused(self, form: PrecedentImportForm, message: str) -> HttpResponse:
        form.add_error("file", message)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = PrecedentImportForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        job = form.cleaned_data["job"]
        if not JOB_PATTERN.match(job):
            job = uuid.uuid4().hex
        key = _progress_key(request.user, job)
        cache.set(key, {"phase": "reading", "done": 0, "total": 0}, PROGRESS_SECONDS)
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            cache.set(key, {"phase": "refused", "done": 0, "total": 0}, PROGRESS_SECONDS)
            return self._refused(form, _("Save the file as UTF-8."))
        try:
            rows = csv_rows(text)
        except ApprovalError as error:
            cache.set(key, {"phase": "refused", "done": 0, "total": 0}, PROGRESS_SECONDS)
            return self._refused(form, str(error.message))

        def progress(phase: str, done: int, total: int) -> None:
            cache.set(key, {"phase": phase, "done": done, "total": total}, PROGRESS_SECONDS)

        result: ImportResult = rows_import(
            rows,
            user=request.user,
            default_unit=form.cleaned_data["unit"],
            progress=progress,
        )
        cache.set(
            key,
            {
                "phase": "done" if result.written else "refused",
                "done": result.decisions,
                "total": result.decisions,
            },
            PROGRESS_SECONDS,
        )
        if not result.written:
            return self.render_to_response(
                self.get_context_data(form=form, result=result), status=400
            )
        messages.success(
            request,
            _("%(rows)s rows, %(decisions)s decisions: %(created)s new, %(unchanged)s unchanged.")
            % {
                "rows": result.rows,
                "decisions": result.decisions,
                "created": result.created,
                "unchanged": result.unchanged,
            },
        )
        return redirect("precedents_admin:import")


PHASE_MESSAGES = {
    "reading": gettext_lazy("Reading the file…"),
    "checking": gettext_lazy("Checking row %(done)s of %(total)s…"),
    "writing": gettext_lazy("Saving decision %(done)s of %(total)s…"),
    "done": gettext_lazy("Done."),
    "refused": gettext_lazy("Nothing was imported."),
}


def import_progress(request: HttpRequest, job: str) -> JsonResponse:
    """How far the import the page sent under ``job`` has come, as JSON::

        {"phase": "writing", "done": 120, "total": 800, "message": "Saving decision 120 of 800…"}

    ``phase`` is waiting (nothing heard yet), reading, checking (rows), writing
    (decisions), done or refused. Only the person who sent the file can read it.
    """
    if not may_import(request.user):
        raise PermissionDenied
    if not JOB_PATTERN.match(job):
        return JsonResponse({"error": "job"}, status=404)
    state = cache.get(_progress_key(request.user, job)) or {
        "phase": "waiting",
        "done": 0,
        "total": 0,
    }
    template = PHASE_MESSAGES.get(state["phase"], gettext_lazy("Sending the file…"))
    return JsonResponse(
        {**state, "message": str(template) % {"done": state["done"], "total": state["total"]}}
    )


def import_template(request: HttpRequest) -> HttpResponse:
    """The header row and example rows, to start a list from."""
    if not may_import(request.user):
        raise PermissionDenied
    response = HttpResponse(csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="earlier-decisions-template.csv"'
    return response


admin_urls = [
    path("import/", ImportView.as_view(), name="import"),
    path("import/template.csv", import_template, name="import_template"),
    path("import/progress/<str:job>/", import_progress, name="import_progress"),
]


@hooks.register("register_admin_urls")
def register_precedent_admin_urls() -> list[Any]:
    return [
        path(
            "earlier-decisions/",
            include((admin_urls, "precedents_admin"), namespace="precedents_admin"),
        )
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_import(request.user)


@hooks.register("register_admin_menu_item")
def register_precedent_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        gettext_lazy("Import earlier decisions"),
        reverse("precedents_admin:import"),
        name="approvals-precedents-import",
        icon_name="upload",
        order=264,
    )
