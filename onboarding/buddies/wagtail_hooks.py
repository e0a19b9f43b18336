"""What the buddy programme gives other apps: its kinds of notification."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from onboarding.hooks import NOTIFICATION_KINDS, PERSONAL_DATA
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import LegalBasis, PersonalData, Purpose

from .models import BuddyMatch, BuddyProfile, MatchState, PairRule
from .services import matches_release


@hooks.register(NOTIFICATION_KINDS)
def buddy_notification_kinds():
    """Publishing a matching introduces each pair: the student to their buddy and back."""
    return [
        NotificationKind(
            code="buddy_introduced_student",
            label=_("You have a buddy"),
            description=_("The buddy programme has matched you with a local student."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("round", "buddy"),
        ),
        NotificationKind(
            code="buddy_introduced_buddy",
            label=_("A student has been matched with you"),
            description=_("The buddy programme has given you an arriving student."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("round", "student", "arrives_on"),
        ),
        NotificationKind(
            code="buddy_match_ended",
            label=_("Your buddy match has ended"),
            description=_("The other person in your buddy match has deleted their account."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("round",),
        ),
    ]


@hooks.register(PERSONAL_DATA)
def buddies_personal_data() -> list[PersonalData]:
    common = {"purpose": Purpose.BUDDIES, "legal_basis": LegalBasis.CONSENT}
    return [
        PersonalData(
            model=BuddyProfile,
            subjects=("user",),
            fields=(*BuddyProfile.PERSONAL_FIELDS, "created_at", "updated_at"),
            other_fields=("id", "round"),
            context=("round",),
            **common,
        ),
        PersonalData(
            model=BuddyMatch,
            subjects=("student__user", "buddy__user"),
            fields=("state", "score", "reasons", "created_at", "published_at"),
            other_fields=("id", "round"),
            context=("round",),
            # A proposed match is the organisers' draft until they publish it.
            shown={"state": MatchState.PUBLISHED},
            # The other side of a published match is told it has ended.
            release=matches_release,
            **common,
        ),
        PersonalData(
            model=PairRule,
            subjects=("student__user", "buddy__user"),
            fields=("kind", "created_by", "created_at"),
            other_fields=("id", "round"),
            context=("round",),
            # The organisers' working notes on who to pair; erased with the profiles.
            exported=False,
            **common,
        ),
    ]
