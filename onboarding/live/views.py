"""The notification centre and the notification preferences. Both work without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onboarding.http import local_path, redirect_next

from . import selectors, services
from .forms import PreferencesForm
from .models import Notification
from .templatetags.live_tags import badge_label

PER_PAGE = 20


def _own_notification(request, pk):
    try:
        return selectors.notification_get(user=request.user, pk=pk)
    except Notification.DoesNotExist as error:
        # Someone else's notification is as invisible as one that does not exist.
        raise Http404 from error


@never_cache
@login_required
@require_GET
def notification_list(request):
    """The user's notifications, newest first, 20 a page; ``?show=unread`` for unread only."""
    unread_only = request.GET.get("show") == "unread"
    notifications = selectors.notification_list(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "live/notification_list.html",
        {
            "page_obj": page,
            "unread_only": unread_only,
            "unread": selectors.notification_unread_count(user=request.user),
        },
    )


@never_cache
@login_required
@require_GET
def notification_open(request, pk):
    """Mark a notification read and go to what it is about (or back to the list)."""
    notification = _own_notification(request, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    fallback = f"{reverse('live:notification_list')}#notification-{notification.pk}"
    return HttpResponseRedirect(local_path(notification.url, request) or fallback)


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one notification read."""
    notification = _own_notification(request, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    messages.success(request, _("The notification is marked as read."))
    return redirect_next(request, reverse("live:notification_list"))


@login_required
@require_POST
def notification_read_all(request):
    """Mark all of the user's notifications read."""
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)s notification is marked as read.",
                "%(count)s notifications are marked as read.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("You had no unread notifications."))
    return redirect_next(request, reverse("live:notification_list"))


@never_cache
@require_GET
def unread_count(request):
    """{"unread": n, "label": "..."} for the header badge; re-read after every reconnect."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "not_authenticated"}, status=401)
    count = selectors.notification_unread_count(user=request.user)
    return JsonResponse({"unread": count, "label": badge_label(count)})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """For each kind: site only, email at once, daily digest, or off (not mandatory kinds)."""
    rows = selectors.preference_channels(user=request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        current = {kind.code: channel for kind, channel in rows}
        try:
            with transaction.atomic():
                for code, channel in form.cleaned_data.items():
                    if current.get(code) != channel:
                        services.preference_set(user=request.user, kind=code, channel=channel)
        except services.NotificationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("live:preferences")
    return render(
        request, "live/preferences.html", {"form": form}, status=400 if form.errors else 200
    )
