"""Writes of student democracy: standing in an election, and telling followers of one.

Each function runs in one transaction; a refusal raises ``CandidacyError``
before anything is written. Notifications leave through ``notify``, which
sends nothing until the transaction commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from onboarding.live.kinds import translated_field
from onboarding.live.services import notify
from onboarding.units.models import Follow, UnitPage
from onboarding.units.selectors import unit_editors

from .errors import CandidacyError
from .models import Candidacy, ElectionAnnouncement, ElectionPage, SeatType


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _body_of(election: ElectionPage) -> UnitPage | None:
    parent = election.get_parent()
    if parent is None:
        return None
    return UnitPage.objects.filter(pk=parent.pk).first()


def candidacy_check(*, election: ElectionPage, user: Any, now: datetime | None = None) -> None:
    """Whether ``user`` may stand in ``election`` now; raises ``CandidacyError`` if not.

    Codes: ``anonymous``, ``not_live``, ``not_open`` (nominations open later),
    ``closed`` (nominations have closed), ``already_standing``.
    """
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        raise CandidacyError(code="anonymous", message=_("Log in to stand in an election."))
    if not election.live:
        raise CandidacyError(code="not_live", message=_("This election is not published."))
    if now < election.nomination_opens_at:
        raise CandidacyError(
            code="not_open",
            message=_("Nominations open on %(opens)s. You can stand from then until %(closes)s.")
            % {
                "opens": _when(election.nomination_opens_at),
                "closes": _when(election.nomination_closes_at),
            },
        )
    if now >= election.nomination_closes_at:
        raise CandidacyError(
            code="closed",
            message=_("Nominations closed on %(closes)s: it is too late to stand in this election.")
            % {"closes": _when(election.nomination_closes_at)},
        )
    if Candidacy.objects.filter(election=election, user=user).exists():
        raise CandidacyError(
            code="already_standing", message=_("You already stand in this election.")
        )


def seat_types_of(election: ElectionPage) -> list[str]:
    """The seat types one may stand for: ordinary, and international where seats are reserved."""
    types = [SeatType.ORDINARY.value]
    if election.international_seats:
        types.append(SeatType.INTERNATIONAL.value)
    return types


@transaction.atomic
def candidacy_create(
    *,
    election: ElectionPage,
    user: Any,
    statement: str,
    statement_language: str,
    group: str,
    seat_type: str,
    now: datetime | None = None,
) -> Candidacy:
    """``user`` stands in ``election``: stores the candidacy and tells the body's editors.

    Refused (``CandidacyError``, nothing written) outside the nomination
    period, for a second candidacy of the same person (``already_standing``,
    also when two arrive at once), and for a reserved seat the election does
    not have (``no_such_seat``).
    """
    now = now or timezone.now()
    candidacy_check(election=election, user=user, now=now)
    if seat_type not in seat_types_of(election):
        raise CandidacyError(
            code="no_such_seat",
            message=_("This election has no seats reserved for international students."),
        )
    if statement_language not in ("nb", "en"):
        raise CandidacyError(
            code="language", message=_("Write your statement in Norwegian or English.")
        )
    try:
        with transaction.atomic():
            candidacy = Candidacy.objects.create(
                election=election,
                user=user,
                statement=statement.strip(),
                statement_language=statement_language,
                group=group.strip(),
                seat_type=seat_type,
                created_at=now,
            )
    except IntegrityError:
        raise CandidacyError(
            code="already_standing", message=_("You already stand in this election.")
        ) from None
    body = _body_of(election)
    editors = list(unit_editors(unit=body).filter(is_active=True)) if body is not None else []
    if editors:
        name = user.get_full_name() or user.email
        notify(
            recipients=editors,
            kind="democracy_candidacy",
            context={
                "candidate": name,
                "candidate_email": user.email,
                "election_title": translated_field(election, "title"),
                "group": candidacy.group,
                "statement": candidacy.statement,
                "seat_type": candidacy.seat_type,
                "statement_language": candidacy.statement_language,
            },
            # The editors' list of everyone standing, in the admin.
            url=reverse("democracy_admin:candidacies", args=[election.pk]),
        )
    return candidacy


@transaction.atomic
def election_publication_followup(*, election: ElectionPage, now: datetime | None = None) -> int:
    """Tell the body's followers of a newly published election, in their own language, once.

    The first call for an election stores an ``ElectionAnnouncement`` and
    notifies every active follower of the body (students abroad among them);
    any later call (publishing again, a second worker) finds it and tells no
    one. An election first published after its voting has closed (for the
    record of its results) tells no one either. Returns how many were told.
    """
    now = now or timezone.now()
    body = _body_of(election)
    if body is None:
        return 0
    _announcement, created = ElectionAnnouncement.objects.get_or_create(
        election=election, defaults={"announced_at": now}
    )
    if not created or now >= election.voting_closes_at:
        # Told already, or published only for the record once it is over.
        return 0
    followers = [
        follow.user
        for follow in Follow.objects.filter(unit=body, user__is_active=True).select_related("user")
    ]
    if followers:
        notify(
            recipients=followers,
            kind="democracy_election_announced",
            context={
                "body_name": translated_field(body, "title"),
                "election_title": translated_field(election, "title"),
                "nomination_opens_at": election.nomination_opens_at,
                "nomination_closes_at": election.nomination_closes_at,
                "voting_opens_at": election.voting_opens_at,
                "voting_closes_at": election.voting_closes_at,
                "international_seats": election.international_seats,
            },
            url=election,
        )
        ElectionAnnouncement.objects.filter(election=election).update(recipients=len(followers))
    return len(followers)
