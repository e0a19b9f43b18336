"""On PostgreSQL: two requests to come home sent at once from one stay make one request; the
other is refused as a request already waiting, and nothing of it is stored."""

import threading

import pytest
from django.db import connection

from onboarding.stays.errors import ReturnError
from onboarding.stays.models import EarlyReturnRequest, EarlyReturnStep, PlanBCourse

from .conftest import stays_tree
from .factories import stay_make
from .returns_builders import ask

pytestmark = [pytest.mark.stack, pytest.mark.postgres]


@pytest.fixture
def tree(site_tree):
    """Built per test: this module's tests are transactional and see only committed data."""
    return stays_tree(site_tree["home"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_at_once_from_one_stay_make_one(tree):
    student = tree["cs_student"]
    stay = stay_make(student, city="Munich", country="DE")
    barrier = threading.Barrier(2)
    made, refused = [], []

    def send():
        try:
            barrier.wait()
            made.append(ask(student, stay).pk)
        except ReturnError as error:
            refused.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert (len(made), refused) == (1, ["open_request"])
    assert list(EarlyReturnRequest.objects.values_list("pk", flat=True)) == made
    assert EarlyReturnStep.objects.count() == 1
    assert PlanBCourse.objects.filter(request__isnull=False).count() == 1
