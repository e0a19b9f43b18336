"""Signal handlers of student democracy: they only call services."""

from typing import Any

from .models import ElectionPage


def election_published(sender: type[ElectionPage], instance: ElectionPage, **kwargs: Any) -> None:
    """After an election is published: the body's followers are told, the first time only."""
    from .services import election_publication_followup

    election_publication_followup(election=instance)
