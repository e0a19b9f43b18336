"""Signal handlers of the courses app: they only call services."""

from typing import Any

from .models import NorwegianCoursePage


def course_published(
    sender: type[NorwegianCoursePage], instance: NorwegianCoursePage, **kwargs: Any
) -> None:
    """After a course is published: places it gained go to its waitlist at once, and a new time
    or place is announced to the people on it."""
    from .services import course_publication_followup

    course_publication_followup(course=instance, changes=instance.published_changes())
