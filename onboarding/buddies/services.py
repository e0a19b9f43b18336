"""Writes of the buddy programme: rounds, profiles, the matching, pins and forbids, publishing.

Every function checks before it writes, inside one transaction, and refuses
with a ``BuddyError`` subclass (translated message, stable code) that
changes nothing. The organisers' operations take ``by`` and check that the
person runs the round, so a view cannot forget it. Notifications leave only
after the transaction commits (``live.services.notify``).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from onboarding.accounts.models import Interest
from onboarding.dates import in_range, out_of_range_message
from onboarding.live.services import notify
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from . import matching, selectors
from .errors import MatchingError, ProfileError
from .languages import LANGUAGE_CODES
from .models import (
    MAX_CAPACITY,
    ArrivingStatus,
    BuddyMatch,
    BuddyProfile,
    BuddyRound,
    MatchState,
    PairRule,
    Role,
    RuleKind,
)

if TYPE_CHECKING:
    from onboarding.accounts.models import User


def _organiser(round: BuddyRound, by: Any) -> None:
    if not selectors.round_may_organise(round=round, user=by):
        raise MatchingError(
            code="not_organiser",
            message=_("Only the editors of %(unit)s can organise this round.")
            % {"unit": round.unit.title},
        )


# --- Rounds ----------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    unit: UnitPage,
    name_nb: str,
    name_en: str,
    semester_starts_on: datetime.date,
    closes_on: datetime.date,
    by: Any,
) -> BuddyRound:
    """Open a round of the buddy programme, run by ``unit`` (a volunteer group ``by`` edits)."""
    if unit.kind != UnitKind.VOLUNTEER_GROUP:
        raise MatchingError(
            code="not_volunteer_group",
            message=_("A buddy round is run by a volunteer group."),
            field="unit",
        )
    if not (by.is_superuser or unit.permissions_for_user(by).can_edit()):
        raise MatchingError(
            code="not_organiser",
            message=_("Only the editors of %(unit)s can organise this round.")
            % {"unit": unit.title},
        )
    name_nb, name_en = (name_nb or "").strip(), (name_en or "").strip()
    if not name_nb or not name_en:
        raise MatchingError(
            code="name_missing",
            message=_("Give the round a name in both languages."),
            field="name_nb" if not name_nb else "name_en",
        )
    for field, day in (("semester_starts_on", semester_starts_on), ("closes_on", closes_on)):
        if not in_range(day):
            raise MatchingError(
                code="date_out_of_range", message=out_of_range_message(), field=field
            )
    if closes_on > semester_starts_on + datetime.timedelta(days=60):
        raise MatchingError(
            code="closes_too_late",
            message=_("Sign-up must close at most 60 days after the semester starts."),
            field="closes_on",
        )
    return BuddyRound.objects.create(
        unit=unit,
        name_nb=name_nb,
        name_en=name_en,
        semester_starts_on=semester_starts_on,
        closes_on=closes_on,
    )


# --- Profiles --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileAnswers:
    """What a person tells the programme; ``capacity`` only counts for a buddy, the status and
    the preferences only for a student."""

    languages: tuple[str, ...]
    available_on: datetime.date
    faculty: UnitPage | None = None
    programme: str = ""
    interests: tuple[str, ...] = ()
    capacity: int = 1
    student_status: str = ""
    wants_same_faculty: bool = False
    wants_language: str = ""
    phone: str = ""
    about: str = ""


def _check_answers(role: str, answers: ProfileAnswers) -> None:
    def refuse(code: str, message: str, field: str) -> ProfileError:
        return ProfileError(code=code, message=message, field=field)

    if not answers.languages:
        raise refuse("no_language", _("Choose at least one language you speak."), "languages")
    unknown = set(answers.languages) - set(LANGUAGE_CODES)
    if unknown or (answers.wants_language and answers.wants_language not in LANGUAGE_CODES):
        raise refuse("unknown_language", _("Choose languages from the list."), "languages")
    if set(answers.interests) - set(Interest.values):
        raise refuse("unknown_interest", _("Choose interests from the list."), "interests")
    if answers.faculty is not None and answers.faculty.kind != UnitKind.FACULTY:
        raise refuse("not_a_faculty", _("Choose a faculty from the list."), "faculty")
    if role == Role.BUDDY:
        if not 1 <= answers.capacity <= MAX_CAPACITY:
            raise refuse(
                "capacity",
                _("A buddy can take from 1 to %(max)s students.") % {"max": MAX_CAPACITY},
                "capacity",
            )
    elif answers.student_status not in ArrivingStatus.values:
        raise refuse("status", _("Say what kind of student you are."), "student_status")


@transaction.atomic
def profile_save(
    *, round: BuddyRound, user: User, role: str, answers: ProfileAnswers
) -> BuddyProfile:
    """Volunteer as a buddy or ask for one in ``round``, or change one's answers.

    Refused once sign-up has closed (``closed``), for a student whose buddy
    is published (``matched``), for a buddy lowering their capacity below the
    students already introduced to them (``capacity_taken``), and when the
    person already takes part in the other role (``other_role``). A change
    drops the person's proposed (unpublished) pairs, made from the old answers.
    """
    if role not in Role.values:
        raise ProfileError(code="role", message=_("Choose buddy or student."), field="role")
    if not round.is_open():
        raise ProfileError(
            code="closed",
            message=_("Sign-up for %(round)s closed on %(date)s.")
            % {"round": round.name, "date": round.closes_on.isoformat()},
        )
    _check_answers(role, answers)
    profile = BuddyProfile.objects.select_for_update().filter(round=round, user=user).first()
    if profile is not None:
        if profile.role != role:
            raise ProfileError(
                code="other_role",
                message=_("You already take part in this round as a buddy.")
                if profile.role == Role.BUDDY
                else _("You already take part in this round as an arriving student."),
            )
        if selectors.profile_is_locked(profile=profile):
            raise ProfileError(
                code="matched",
                message=_(
                    "You have been introduced to your buddy, so your answers can no longer "
                    "change. Write to the buddy programme if something is wrong."
                ),
            )
        if role == Role.BUDDY and answers.capacity < selectors.published_count(buddy=profile):
            raise ProfileError(
                code="capacity_taken",
                message=_(
                    "You have already been introduced to %(count)s students; you cannot take fewer."
                )
                % {"count": selectors.published_count(buddy=profile)},
                field="capacity",
            )
    else:
        profile = BuddyProfile(round=round, user=user, role=role)
    profile.languages = sorted(set(answers.languages))
    profile.available_on = answers.available_on
    profile.faculty = answers.faculty
    profile.programme = answers.programme.strip()
    profile.interests = sorted(set(answers.interests))
    profile.capacity = answers.capacity if role == Role.BUDDY else 1
    profile.student_status = answers.student_status if role == Role.STUDENT else ""
    profile.wants_same_faculty = answers.wants_same_faculty if role == Role.STUDENT else False
    profile.wants_language = answers.wants_language if role == Role.STUDENT else ""
    profile.phone = answers.phone.strip()
    profile.about = answers.about.strip()
    profile.save()
    BuddyMatch.objects.filter(state=MatchState.PROPOSED).filter(
        **({"buddy": profile} if role == Role.BUDDY else {"student": profile})
    ).delete()
    return profile


@transaction.atomic
def profile_withdraw(*, profile: BuddyProfile, user: User) -> None:
    """Leave a round. Refused for someone else's profile, after sign-up closed, and once a
    pair with the person is published (they write to the programme instead)."""
    if profile.user_id != user.pk:
        raise ProfileError(code="not_yours", message=_("This is not your profile."))
    if not profile.round.is_open():
        raise ProfileError(code="closed", message=_("Sign-up has closed; write to the programme."))
    published = BuddyMatch.objects.filter(state=MatchState.PUBLISHED).filter(
        **({"buddy": profile} if profile.is_buddy else {"student": profile})
    )
    if published.exists():
        raise ProfileError(
            code="matched",
            message=_("You have been introduced already; write to the programme to leave."),
        )
    profile.delete()


# --- Matching --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    proposed: int
    matched: int
    unmatched: int
    seconds: float


def _round_people(round: BuddyRound) -> tuple[list[BuddyProfile], list[BuddyProfile]]:
    profiles = list(BuddyProfile.objects.filter(round=round).order_by("pk"))
    return (
        [p for p in profiles if p.role == Role.STUDENT],
        [p for p in profiles if p.role == Role.BUDDY],
    )


@transaction.atomic
def matching_run(*, round: BuddyRound, by: Any) -> RunSummary:
    """Propose pairs for everyone not yet introduced (a preview; nobody is told).

    Published pairs are kept as they are and use their buddy's places; pinned
    pairs are kept too; forbidden pairs are never proposed. The previous
    proposal is replaced. See ``matching.solve``.
    """
    _organiser(round, by)
    BuddyRound.objects.select_for_update().filter(pk=round.pk).first()
    started = time.perf_counter()
    students, buddies = _round_people(round)
    published = list(
        BuddyMatch.objects.filter(round=round, state=MatchState.PUBLISHED).values_list(
            "student_id", "buddy_id"
        )
    )
    published_students = {s for s, _b in published}
    pins = [
        (s, b)
        for s, b in PairRule.objects.filter(round=round, kind=RuleKind.PIN).values_list(
            "student_id", "buddy_id"
        )
        if s not in published_students
    ]
    forbidden = PairRule.objects.filter(round=round, kind=RuleKind.FORBID).values_list(
        "student_id", "buddy_id"
    )
    try:
        result = matching.solve(
            [selectors.person(s) for s in students],
            [selectors.person(b) for b in buddies],
            fixed=published + pins,
            forbidden=list(forbidden),
        )
    except ValueError as error:
        raise MatchingError(
            code="pins_over_capacity",
            message=_("The pinned pairs give a buddy more students than they can take."),
        ) from error
    BuddyMatch.objects.filter(round=round, state=MatchState.PROPOSED).delete()
    pinned = set(pins)
    new = [
        BuddyMatch(
            round=round,
            student_id=pair.student,
            buddy_id=pair.buddy,
            score=pair.score,
            reasons=list(pair.reasons),
        )
        for pair in result.pairs
        if pair.student not in published_students
    ]
    for match in new:
        if (match.student_id, match.buddy_id) in pinned and "pinned" not in match.reasons:
            match.reasons.append("pinned")
    BuddyMatch.objects.bulk_create(new)
    return RunSummary(
        proposed=len(new),
        matched=result.matched,
        unmatched=len(result.unmatched),
        seconds=round_seconds(time.perf_counter() - started),
    )


def round_seconds(seconds: float) -> float:
    return float(f"{seconds:.2f}")


def _pair_profiles(
    round: BuddyRound, student_id: int, buddy_id: int
) -> tuple[BuddyProfile, BuddyProfile]:
    student = BuddyProfile.objects.filter(pk=student_id, round=round, role=Role.STUDENT).first()
    buddy = BuddyProfile.objects.filter(pk=buddy_id, round=round, role=Role.BUDDY).first()
    if student is None or buddy is None:
        raise MatchingError(
            code="not_in_round", message=_("Choose a student and a buddy of this round.")
        )
    return student, buddy


@transaction.atomic
def rule_set(*, round: BuddyRound, student_id: int, buddy_id: int, kind: str, by: Any) -> PairRule:
    """Pin a pair (always together) or forbid it (never); takes effect at the next run.

    Refused for a student whose buddy is published (``published``), a pin to a
    buddy whose places are all taken by published and pinned pairs
    (``buddy_full``), and people outside the round (``not_in_round``). A pin
    replaces the student's previous pin; a forbid drops the pair's proposal.
    """
    _organiser(round, by)
    if kind not in RuleKind.values:
        raise MatchingError(code="rule", message=_("Choose pin or forbid."))
    student, buddy = _pair_profiles(round, student_id, buddy_id)
    if BuddyMatch.objects.filter(student=student, state=MatchState.PUBLISHED).exists():
        raise MatchingError(
            code="published",
            message=_("%(name)s has been introduced to their buddy already.")
            % {"name": student.user.display_name},
        )
    if kind == RuleKind.PIN:
        taken = (
            BuddyMatch.objects.filter(buddy=buddy, state=MatchState.PUBLISHED).count()
            + PairRule.objects.filter(buddy=buddy, kind=RuleKind.PIN)
            .exclude(student=student)
            .count()
        )
        if taken >= buddy.capacity:
            raise MatchingError(
                code="buddy_full",
                message=_("%(name)s has no place left for another pinned student.")
                % {"name": buddy.user.display_name},
            )
        PairRule.objects.filter(student=student, kind=RuleKind.PIN).exclude(buddy=buddy).delete()
    else:
        BuddyMatch.objects.filter(student=student, buddy=buddy, state=MatchState.PROPOSED).delete()
    rule, _created = PairRule.objects.update_or_create(
        student=student,
        buddy=buddy,
        defaults={"round": round, "kind": kind, "created_by": by},
    )
    return rule


@transaction.atomic
def rule_clear(*, round: BuddyRound, rule_id: int, by: Any) -> None:
    """Take a pin or forbid away (refused for a rule of another round: ``not_in_round``)."""
    _organiser(round, by)
    deleted, _kinds = PairRule.objects.filter(pk=rule_id, round=round).delete()
    if not deleted:
        raise MatchingError(code="not_in_round", message=_("That rule is not in this round."))


def _contact(profile: BuddyProfile) -> dict[str, Any]:
    return {
        "name": profile.user.display_name,
        "email": profile.user.email,
        "phone": profile.phone,
        "about": profile.about,
    }


@transaction.atomic
def matching_publish(*, round: BuddyRound, by: Any, email: bool = True) -> int:
    """Publish the proposed pairs: introduce each pair to each other, in each one's language,
    with their contact details (shared only now, and only between the two). Returns how many.

    Refused when nothing is proposed (``nothing_proposed``). ``email=False`` tells them
    in the site only (the demo).
    """
    _organiser(round, by)
    BuddyRound.objects.select_for_update().filter(pk=round.pk).first()
    matches = list(
        BuddyMatch.objects.select_related("student__user", "buddy__user")
        .filter(round=round, state=MatchState.PROPOSED)
        .order_by("pk")
    )
    if not matches:
        raise MatchingError(
            code="nothing_proposed", message=_("Run the matching first: nothing is proposed.")
        )
    now = timezone.now()
    BuddyMatch.objects.filter(pk__in=[m.pk for m in matches]).update(
        state=MatchState.PUBLISHED, published_at=now
    )
    for match in matches:
        _introduce(round, match, email=email)
    return len(matches)


def _mine_url(round: BuddyRound) -> dict[str, str]:
    urls = {}
    for language in ("nb", "en"):
        with translation.override(language):
            urls[language] = reverse("buddies:mine", kwargs={"round_id": round.pk})
    return urls


def _introduce(round: BuddyRound, match: BuddyMatch, *, email: bool) -> None:
    student, buddy = match.student, match.buddy
    base = {"round": round.names()}
    notify(
        recipients=student.user,
        kind="buddy_introduced_student",
        context={**base, "buddy": _contact(buddy)},
        url=_mine_url(round),
        email=email,
    )
    notify(
        recipients=buddy.user,
        kind="buddy_introduced_buddy",
        context={
            **base,
            "student": _contact(student),
            "arrives_on": student.available_on,
        },
        url=_mine_url(round),
        email=email,
    )


def matches_release(*, user: Any, now: datetime.datetime | None = None) -> int:
    """Tell the other side of each published match of ``user`` that it has ended (the account
    of ``user`` is being deleted, and the matches with it); returns how many were told.

    The notice does not name the person who left: what is erased stays erased.
    """
    matches = (
        BuddyMatch.objects.filter(state=MatchState.PUBLISHED)
        .filter(Q(student__user=user) | Q(buddy__user=user))
        .select_related("round", "student__user", "buddy__user")
    )
    told = 0
    for match in matches:
        other = match.buddy.user if match.student.user_id == user.pk else match.student.user
        notify(
            recipients=other,
            kind="buddy_match_ended",
            context={"round": match.round.names()},
            url=_mine_url(match.round),
        )
        told += 1
    return told


def profiles_bulk_create(profiles: Iterable[BuddyProfile]) -> list[BuddyProfile]:
    """Store many profiles at once (imports and the demo), unchecked beyond the database's rules."""
    return BuddyProfile.objects.bulk_create(list(profiles))
