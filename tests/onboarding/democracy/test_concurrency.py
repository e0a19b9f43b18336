"""On PostgreSQL: the same student standing twice at once in one election makes one candidacy;
the other is refused as already standing, and the editors are told once."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from onboarding.democracy.errors import CandidacyError
from onboarding.democracy.models import Candidacy
from onboarding.democracy.services import candidacy_create
from onboarding.live.models import Notification

from .builders import election_make
from .conftest import democracy_tree

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


@pytest.fixture
def tree(site_tree):
    """Built per test: this module's tests are transactional and see only committed data."""
    return democracy_tree(site_tree["home"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_standing_twice_at_once_makes_one_candidacy(tree):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    barrier = threading.Barrier(2)
    made, refused = [], []

    def stand():
        try:
            barrier.wait()
            made.append(
                candidacy_create(
                    election=election,
                    user=tree["student"],
                    statement="Jeg stiller.",
                    statement_language="nb",
                    group="Fysikk",
                    seat_type="ordinary",
                ).pk
            )
        except CandidacyError as error:
            refused.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=stand) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert (len(made), refused) == (1, ["already_standing"])
    assert list(Candidacy.objects.values_list("pk", flat=True)) == made
    assert Notification.objects.filter(kind="democracy_candidacy").count() == 1
