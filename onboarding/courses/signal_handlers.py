"""Signal handlers of the courses app: they only call services."""


def course_published(sender, instance, **kwargs):
    """After a course is published: places it gained go to its waitlist at once."""
    from .services import course_waitlist_fill

    course_waitlist_fill(course=instance)
