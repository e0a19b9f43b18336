"""Reads of the buddy programme: rounds, who may organise them, profiles, matches, the overview."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from onboarding.accounts.models import Interest
from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitPage

from . import matching
from .languages import language_alternatives, language_list
from .models import BuddyMatch, BuddyProfile, BuddyRound, MatchState, PairRule, Role, RuleKind

if TYPE_CHECKING:
    import datetime


def _signed_in(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


# --- Rounds ----------------------------------------------------------------------------------


def round_get(*, round_id: int) -> BuddyRound | None:
    return BuddyRound.objects.select_related("unit").filter(pk=round_id).first()


def rounds_open(*, today: datetime.date | None = None) -> QuerySet[BuddyRound]:
    """Rounds people can still join, soonest semester first."""
    today = today or timezone.localdate()
    return (
        BuddyRound.objects.select_related("unit")
        .filter(closes_on__gte=today)
        .order_by("semester_starts_on", "pk")
    )


def round_may_organise(*, round: BuddyRound, user: Any) -> bool:
    """Whether ``user`` runs ``round``: an editor of its volunteer group (or a superuser)."""
    if not _signed_in(user):
        return False
    if user.is_superuser:
        return True
    return bool(round.unit.permissions_for_user(user).can_edit())


def rounds_organised_by(*, user: Any) -> list[BuddyRound]:
    """The rounds ``user`` may organise, newest semester first."""
    if not _signed_in(user):
        return []
    rounds = BuddyRound.objects.select_related("unit").order_by("-semester_starts_on", "pk")
    return [r for r in rounds if round_may_organise(round=r, user=user)]


def organising_units(*, user: Any) -> list[UnitPage]:
    """The volunteer groups whose rounds ``user`` may create: those they may edit."""
    if not _signed_in(user):
        return []
    groups = UnitPage.objects.filter(kind=UnitKind.VOLUNTEER_GROUP).order_by("path")
    return [
        unit for unit in groups if user.is_superuser or unit.permissions_for_user(user).can_edit()
    ]


def faculties() -> QuerySet[UnitPage]:
    return UnitPage.objects.live().filter(kind=UnitKind.FACULTY).order_by("title")


# --- Profiles and matches --------------------------------------------------------------------


def profile_for(*, round: BuddyRound, user: Any) -> BuddyProfile | None:
    if not _signed_in(user):
        return None
    return (
        BuddyProfile.objects.select_related("faculty", "round")
        .filter(round=round, user=user)
        .first()
    )


def profiles_of(*, user: Any) -> list[BuddyProfile]:
    """Every profile of ``user``, newest round first, with the round."""
    if not _signed_in(user):
        return []
    return list(
        BuddyProfile.objects.select_related("round", "round__unit", "faculty")
        .filter(user=user)
        .order_by("-round__semester_starts_on")
    )


def published_match_of(*, profile: BuddyProfile) -> BuddyMatch | None:
    """A student's published match (their buddy), or None: proposed matches stay hidden."""
    return (
        BuddyMatch.objects.select_related("buddy__user", "buddy__faculty")
        .filter(student=profile, state=MatchState.PUBLISHED)
        .first()
    )


def published_students_of(*, profile: BuddyProfile) -> list[BuddyMatch]:
    """A buddy's published matches (their students), by arrival date."""
    return list(
        BuddyMatch.objects.select_related("student__user", "student__faculty")
        .filter(buddy=profile, state=MatchState.PUBLISHED)
        .order_by("student__available_on", "student__pk")
    )


def profile_is_locked(*, profile: BuddyProfile) -> bool:
    """Whether the profile is part of a published pair (and so can no longer change)."""
    if profile.role == Role.STUDENT:
        return BuddyMatch.objects.filter(student=profile, state=MatchState.PUBLISHED).exists()
    return False


def published_count(*, buddy: BuddyProfile) -> int:
    return BuddyMatch.objects.filter(buddy=buddy, state=MatchState.PUBLISHED).count()


def person(profile: BuddyProfile) -> matching.Person:
    """What the matching knows of a profile."""
    return matching.Person(
        id=profile.pk,
        languages=frozenset(profile.languages),
        day=profile.available_on,
        faculty=profile.faculty_id,
        programme=profile.programme,
        interests=frozenset(profile.interests),
        capacity=profile.capacity if profile.role == Role.BUDDY else 1,
        wants_same_faculty=profile.wants_same_faculty,
        wants_language=profile.wants_language,
    )


# --- What the organisers see -----------------------------------------------------------------

REASON_TEXTS = {
    "language": lambda fit: _("speak %(languages)s") % {"languages": fit["languages"]},
    "faculty": lambda fit: _("same faculty"),
    "faculty_wish": lambda fit: _("the student asked for their faculty"),
    "programme": lambda fit: _("same study programme"),
    "language_wish": lambda fit: _("speaks the language the student asked for"),
    "interests": lambda fit: _("share interests: %(interests)s") % {"interests": fit["interests"]},
    "dates": lambda fit: _("available when the student arrives"),
    "pinned": lambda fit: _("pinned by an organiser"),
}


def reasons_text(match: BuddyMatch) -> str:
    """Why the pair was made, as one sentence in the active language."""
    labels = dict(Interest.choices)
    student, buddy = match.student, match.buddy
    detail = {
        "languages": language_list(frozenset(student.languages) & frozenset(buddy.languages))
        or "—",
        "interests": ", ".join(
            str(labels.get(code, code))
            for code in sorted(set(student.interests) & set(buddy.interests))
        ),
    }
    parts = [REASON_TEXTS[code](detail) for code in match.reasons if code in REASON_TEXTS]
    return "; ".join(parts).capitalize()


@dataclass
class FacultyShortfall:
    faculty: str
    students: int
    places: int

    @property
    def missing(self) -> int:
        return max(0, self.students - self.places)


@dataclass
class UnmatchedRow:
    profile: BuddyProfile
    reason: str

    @property
    def languages(self) -> str:
        return language_list(frozenset(self.profile.languages))


@dataclass
class RoundOverview:
    students: int
    buddies: int
    places: int
    proposed: int
    published: int
    # The most students any matching can give a buddy, languages and capacities considered.
    bound: int
    average_capacity: float
    faculties: list[FacultyShortfall] = field(default_factory=list)
    # (languages, how many students speak only those) where no buddy speaks any of them.
    languages: list[tuple[str, int]] = field(default_factory=list)
    unmatched: list[UnmatchedRow] = field(default_factory=list)

    @property
    def missing_places(self) -> int:
        return max(0, self.students - self.places)

    def buddies_for(self, places: int) -> int:
        """About how many more buddies ``places`` more places are, at the round's average."""
        return math.ceil(places / (self.average_capacity or 1))


def _unmatched_reason(
    profile: BuddyProfile,
    buddies: list[BuddyProfile],
    forbidden: set[tuple[int, int]],
) -> str:
    why = matching.why_unmatched(person(profile), [person(b) for b in buddies], forbidden)
    languages = language_alternatives(frozenset(profile.languages))
    if why.reason == "no_language":
        return _("No buddy speaks %(languages)s.") % {"languages": languages}
    if why.reason == "forbidden":
        return _("Every buddy who speaks %(languages)s is ruled out for this student.") % {
            "languages": languages
        }
    speakers = sum(1 for b in buddies if set(b.languages) & set(profile.languages))
    return ngettext(
        "The one buddy who speaks %(languages)s is full.",
        "All %(count)s buddies who speak %(languages)s are full.",
        speakers,
    ) % {"count": speakers, "languages": languages}


def round_overview(*, round: BuddyRound, with_unmatched: bool = True) -> RoundOverview:
    """Counts, the shortfall (before and after matching) and who is still without a buddy."""
    profiles = list(
        BuddyProfile.objects.select_related("user")
        .filter(round=round)
        .order_by("available_on", "pk")
    )
    titles = dict(
        UnitPage.objects.filter(
            pk__in={p.faculty_id for p in profiles if p.faculty_id}
        ).values_list("pk", "title")
    )
    students = [p for p in profiles if p.role == Role.STUDENT]
    buddies = [p for p in profiles if p.role == Role.BUDDY]
    states = Counter(BuddyMatch.objects.filter(round=round).values_list("state", flat=True))
    places = sum(b.capacity for b in buddies)
    overview = RoundOverview(
        students=len(students),
        buddies=len(buddies),
        places=places,
        proposed=states[MatchState.PROPOSED],
        published=states[MatchState.PUBLISHED],
        bound=matching.coverage_bound([person(s) for s in students], [person(b) for b in buddies]),
        average_capacity=places / len(buddies) if buddies else 1.0,
    )
    by_faculty: dict[int | None, FacultyShortfall] = {}
    for profile in profiles:
        key = profile.faculty_id
        if key not in by_faculty:
            name = titles.get(key, "") if key else _("No faculty given")
            by_faculty[key] = FacultyShortfall(faculty=name, students=0, places=0)
        if profile.role == Role.STUDENT:
            by_faculty[key].students += 1
        else:
            by_faculty[key].places += profile.capacity
    overview.faculties = sorted(by_faculty.values(), key=lambda f: (-f.missing, f.faculty))
    spoken = set().union(*(set(b.languages) for b in buddies)) if buddies else set()
    unspoken: Counter[str] = Counter()
    for student in students:
        if not set(student.languages) & spoken:
            unspoken[language_alternatives(frozenset(student.languages))] += 1
    overview.languages = sorted(unspoken.items(), key=lambda item: (-item[1], item[0]))
    if with_unmatched:
        matched = set(BuddyMatch.objects.filter(round=round).values_list("student_id", flat=True))
        forbidden = set(
            PairRule.objects.filter(round=round, kind=RuleKind.FORBID).values_list(
                "student_id", "buddy_id"
            )
        )
        overview.unmatched = [
            UnmatchedRow(profile=s, reason=_unmatched_reason(s, buddies, forbidden))
            for s in students
            if s.pk not in matched
        ]
    return overview


@dataclass
class MatchRow:
    match: BuddyMatch
    why: str
    pinned: bool
    # The buddy's students in this round (published and proposed) over their capacity.
    load: str


def match_rows(*, round: BuddyRound) -> list[MatchRow]:
    """Every pair of the round, proposed first, by student arrival date."""
    matches = list(
        BuddyMatch.objects.select_related("student__user", "buddy__user")
        .filter(round=round)
        .order_by("-state", "student__available_on", "student__pk")
    )
    pins = set(
        PairRule.objects.filter(round=round, kind=RuleKind.PIN).values_list(
            "student_id", "buddy_id"
        )
    )
    loads = Counter(m.buddy_id for m in matches)
    return [
        MatchRow(
            match=m,
            why=reasons_text(m),
            pinned=(m.student_id, m.buddy_id) in pins,
            load=f"{loads[m.buddy_id]}/{m.buddy.capacity}",
        )
        for m in matches
    ]


def rules_of(*, round: BuddyRound) -> list[PairRule]:
    return list(
        PairRule.objects.select_related("student__user", "buddy__user")
        .filter(round=round)
        .order_by("kind", "student__pk")
    )


def buddies_of(*, round: BuddyRound) -> list[BuddyProfile]:
    """The round's buddies with their published count (``taken``), by name."""
    return list(
        BuddyProfile.objects.select_related("user")
        .filter(round=round, role=Role.BUDDY)
        .annotate(taken=Count("buddy_matches", filter=Q(buddy_matches__state=MatchState.PUBLISHED)))
        .order_by("user__first_name", "user__last_name", "pk")
    )


def students_of(*, round: BuddyRound) -> list[BuddyProfile]:
    return list(
        BuddyProfile.objects.select_related("user")
        .filter(round=round, role=Role.STUDENT)
        .order_by("user__first_name", "user__last_name", "pk")
    )
