"""The part of a holder's views every kind shares: the form that calls a holder off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from onboarding.errors import DomainError

from .forms import CancelForm
from .holders import HolderCancelled


@dataclass(frozen=True)
class CancelStep:
    """Where a cancel page is: its form, and the response when the holder was called off
    (``done``, a redirect) or the status to render the form with."""

    form: CancelForm
    done: HttpResponse | None
    status: int


def holder_cancel_step(
    request: HttpRequest,
    *,
    form_class: type[CancelForm],
    cancel: Callable[..., HolderCancelled],
    told: Callable[[int], str],
    done_url: str,
) -> CancelStep:
    """Handle a holder's cancel page: on a valid POST, ``cancel(by=, reason_nb=, reason_en=)``
    calls it off, ``told(count)`` is the success message and the page goes to ``done_url``;
    a refusal (any domain error) is shown on the form."""
    form = form_class(request.POST or None)
    if request.method != "POST":
        return CancelStep(form=form, done=None, status=200)
    if form.is_valid():
        try:
            done = cancel(
                by=request.user,
                reason_nb=form.cleaned_data["reason_nb"],
                reason_en=form.cleaned_data["reason_en"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, told(done.told))
            return CancelStep(form=form, done=redirect(done_url), status=200)
    return CancelStep(form=form, done=None, status=400)
