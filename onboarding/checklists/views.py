"""The arrival plan and ticking items off; a checklist page's context is in page_context.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from .documents import ACCEPT, private_storage
from .errors import ChecklistError
from .models import ChecklistItem, ItemSubmission
from .page_context import due_label
from .people import plan_people
from .selectors import matrix_page, plan_get, submission_visible
from .services import document_upload, progress_tick, progress_untick


def relative_label(due, today):
    """How far a due date is from today, in words."""
    days = (due - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days > 0:
        return ngettext("in %(count)s day", "in %(count)s days", days) % {"count": days}
    return ngettext("%(count)s day ago", "%(count)s days ago", -days) % {"count": -days}


def _decorate(plan):
    for entry in plan.items:
        entry.offset_label = due_label(entry.item, semester=entry.semester)
        entry.relative_label = relative_label(entry.due_date, plan.today) if entry.due_date else ""
    return plan


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


@require_GET
@login_required
def arrival_plan(request):
    """The student's arrival plan: what to do, by when, who helps, and their people."""
    plan = plan_get(user=request.user)
    if plan is None:
        messages.info(request, _("Fill in your profile first: your arrival plan is made from it."))
        return redirect(f"{reverse('profile_edit')}?next={reverse('arrival_plan')}")
    people = plan_people(profile=plan.profile, user=request.user, request=request)
    return render(
        request,
        "checklists/plan.html",
        {"plan": _decorate(plan), "people": people, "matrix": matrix_page(), "accept": ACCEPT},
    )


def _item_or_404(item_id):
    item = ChecklistItem.objects.filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def _toggle(request, item_id, *, done):
    item = _item_or_404(item_id)
    try:
        if done:
            progress_tick(student=request.user, item=item)
        else:
            progress_untick(student=request.user, item=item)
    except ChecklistError as error:
        if _wants_json(request):
            return JsonResponse({"error": error.code, "message": error.message}, status=403)
        messages.error(request, error.message)
        return redirect("arrival_plan")
    if _wants_json(request):
        plan = _decorate(plan_get(user=request.user))
        entry = next((e for e in plan.items if e.pk == item.pk), None)
        context = {"plan": plan, "entry": entry, "matrix": matrix_page(), "accept": ACCEPT}
        return JsonResponse(
            {
                "done": done,
                "item": item.pk,
                "item_html": render_to_string(
                    "checklists/includes/plan_item.html", context, request=request
                ),
                "progress_html": render_to_string(
                    "checklists/includes/plan_progress.html", context, request=request
                ),
                "message": _("Marked as done.") if done else _("Marked as not done."),
            }
        )
    if done:
        messages.success(request, _("Marked as done: %(item)s.") % {"item": item.title})
    else:
        messages.success(request, _("Marked as not done: %(item)s.") % {"item": item.title})
    return redirect(f"{reverse('arrival_plan')}#item-{item.pk}")


@require_POST
@login_required
def item_upload(request, item_id):
    """Upload a document on an item of one's own plan (POST, multipart, with CSRF)."""
    item = _item_or_404(item_id)
    upload = request.FILES.get("document")
    if upload is None:
        messages.error(request, _("Choose a file to upload."))
        return redirect(f"{reverse('arrival_plan')}#item-{item.pk}")
    try:
        submission = document_upload(student=request.user, item=item, upload=upload)
    except ChecklistError as error:
        messages.error(request, f"{item.title}: {error.message}")
        return redirect(f"{reverse('arrival_plan')}#item-{item.pk}")
    if submission.state == "submitted" and item.needs_verification:
        messages.success(
            request,
            _("Uploaded: %(item)s. Staff verify it, and you are told when they have.")
            % {"item": item.title},
        )
    else:
        messages.success(request, _("Uploaded: %(item)s.") % {"item": item.title})
    return redirect(f"{reverse('arrival_plan')}#item-{item.pk}")


@require_GET
@login_required
def document_download(request, submission_id):
    """A document, to its student and to the coordinators who may see them; 404 to anyone else."""
    submission = (
        ItemSubmission.objects.select_related("item", "student").filter(pk=submission_id).first()
    )
    if submission is None or not submission_visible(user=request.user, submission=submission):
        raise Http404
    storage = private_storage()
    try:
        handle = storage.open(submission.file_name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = submission.file_name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{slugify(submission.item.title) or 'document'}.{extension}",
        content_type=submission.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def item_tick(request, item_id):
    """Tick an item of one's own plan off (POST with CSRF)."""
    return _toggle(request, item_id, done=True)


@require_POST
@login_required
def item_untick(request, item_id):
    """Untick an item of one's own plan (POST with CSRF)."""
    return _toggle(request, item_id, done=False)
