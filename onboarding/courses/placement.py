"""The placement self-assessment: CEFR can-do statements, and the level they point to.

Four skills (listening, reading, speaking, writing) with one "I can ..."
statement per level from A1 to C1, paraphrasing the Council of Europe's
self-assessment grid. A person ticks the statements that are true for them.

How answers map to a level:

- A skill's level is the highest level up to which every statement is
  ticked, counting from A1: ticking A1, A2 and B2 but not B1 gives A2 (a gap
  ends the climb). Ticking nothing gives "none".
- The suggested level is the one at least three of the four skills reach
  (the second lowest skill level): one weak skill does not pull a student
  down a whole course, but one strong skill does not push them up either.
"""

from django.utils.translation import gettext_lazy as _

from onboarding.accounts.models import NorwegianLevel

from .levels import COURSE_LEVELS, LEVEL_ORDER, level_rank
from .models import PlacementSkill

STATEMENTS = {
    PlacementSkill.LISTENING: {
        NorwegianLevel.A1: _(
            "I can understand familiar words and very basic phrases about myself and my "
            "surroundings when people speak slowly and clearly."
        ),
        NorwegianLevel.A2: _(
            "I can understand phrases and common words about shopping, my studies and where I "
            "live, and catch the main point of short, clear announcements."
        ),
        NorwegianLevel.B1: _(
            "I can understand the main points of clear talk about familiar things at "
            "university, at work or in my free time."
        ),
        NorwegianLevel.B2: _(
            "I can follow longer talks and lectures, and understand most news and current "
            "affairs programmes."
        ),
        NorwegianLevel.C1: _(
            "I can understand long, loosely structured speech, and follow films and "
            "discussions without much effort."
        ),
    },
    PlacementSkill.READING: {
        NorwegianLevel.A1: _(
            "I can understand familiar names, words and very simple sentences, for example on "
            "signs and posters."
        ),
        NorwegianLevel.A2: _(
            "I can read very short, simple texts and find what I need in everyday material "
            "such as timetables and menus."
        ),
        NorwegianLevel.B1: _(
            "I can understand texts written mainly in everyday language, and descriptions of "
            "events, feelings and wishes in personal messages."
        ),
        NorwegianLevel.B2: _(
            "I can read articles and reports on current matters in which the writers take a "
            "position."
        ),
        NorwegianLevel.C1: _(
            "I can understand long and complex factual and literary texts, and specialised "
            "articles in my field."
        ),
    },
    PlacementSkill.SPEAKING: {
        NorwegianLevel.A1: _(
            "I can ask and answer simple questions about very familiar topics, if the other "
            "person speaks slowly and helps me."
        ),
        NorwegianLevel.A2: _(
            "I can manage short everyday exchanges and simple tasks such as buying a ticket or "
            "asking the way."
        ),
        NorwegianLevel.B1: _(
            "I can take part in conversations on familiar topics without preparing, and "
            "briefly describe my experiences, plans and opinions."
        ),
        NorwegianLevel.B2: _(
            "I can talk with native speakers fluently enough to take an active part in "
            "discussions and explain my point of view."
        ),
        NorwegianLevel.C1: _(
            "I can express myself fluently and spontaneously, and use the language flexibly "
            "for study and work."
        ),
    },
    PlacementSkill.WRITING: {
        NorwegianLevel.A1: _(
            "I can write a short, simple greeting and fill in forms with my name, nationality "
            "and address."
        ),
        NorwegianLevel.A2: _(
            "I can write short, simple notes and messages, and a very simple personal letter."
        ),
        NorwegianLevel.B1: _(
            "I can write simple connected text on familiar topics, and personal letters about "
            "my experiences and impressions."
        ),
        NorwegianLevel.B2: _(
            "I can write clear, detailed text on many subjects, such as an essay or a report "
            "giving reasons for and against."
        ),
        NorwegianLevel.C1: _(
            "I can write clear, well-structured text about complex subjects, in a style that "
            "suits the reader."
        ),
    },
}

SKILL_QUESTIONS = {
    PlacementSkill.LISTENING: _("Listening: which of these can you do in Norwegian?"),
    PlacementSkill.READING: _("Reading: which of these can you do in Norwegian?"),
    PlacementSkill.SPEAKING: _("Speaking: which of these can you do in Norwegian?"),
    PlacementSkill.WRITING: _("Writing: which of these can you do in Norwegian?"),
}

SKILLS = tuple(PlacementSkill)


class PlacementAnswerError(ValueError):
    """Answers that name an unknown skill or level."""


def clean_answers(answers):
    """``{skill: [levels ticked]}`` with every skill present, in level order.

    Raises ``PlacementAnswerError`` for an unknown skill or level.
    """
    if not isinstance(answers, dict):
        raise PlacementAnswerError("answers")
    unknown = set(answers) - {skill.value for skill in SKILLS}
    if unknown:
        raise PlacementAnswerError("skill")
    cleaned = {}
    for skill in SKILLS:
        ticked = answers.get(skill.value) or []
        if isinstance(ticked, str) or not all(level in COURSE_LEVELS for level in ticked):
            raise PlacementAnswerError("level")
        cleaned[skill.value] = sorted(set(ticked), key=level_rank)
    return cleaned


def skill_level(ticked):
    """The highest level up to which every statement is ticked, from A1; "none" for none."""
    reached = NorwegianLevel.NONE
    for level in COURSE_LEVELS:
        if level not in ticked:
            break
        reached = level
    return str(reached)


def suggested_level(skill_levels):
    """The level at least three of the four skills reach: the second lowest skill level."""
    ranks = sorted(level_rank(level) for level in skill_levels)
    return str(LEVEL_ORDER[ranks[1]])


def placement_score(answers):
    """(suggested level, {skill: level}) for cleaned or raw answers.

    Raises ``PlacementAnswerError`` for unknown skills or levels.
    """
    cleaned = clean_answers(answers)
    levels = {skill: skill_level(ticked) for skill, ticked in cleaned.items()}
    return suggested_level(list(levels.values())), levels
