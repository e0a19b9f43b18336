"""Test data built once per module and shared by its tests.

A module-scoped fixture builds the data inside a transaction that is rolled
back after the module; each test runs in a savepoint inside it (the ``db``
fixture), so what a test writes is gone before the next. ``fresh`` gives each
test its own instances, re-read from the database, so a change a test makes in
memory does not reach the next test either.

Transactional tests (``transactional_db``, ``django_db(transaction=True)``)
cannot run inside that transaction: a module that has them builds its data per
test instead (see the ``tree`` overrides in those modules).
"""

from collections import defaultdict
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Model


@contextmanager
def module_transaction(django_db_blocker):
    """Database access for a module-scoped fixture, rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def fresh(objects):
    """``objects`` (a dict) with every model instance re-read from the database, one query a model."""
    by_model = defaultdict(list)
    for value in objects.values():
        if isinstance(value, Model):
            by_model[type(value)].append(value.pk)
    loaded = {model: model._default_manager.in_bulk(pks) for model, pks in by_model.items()}
    return {
        key: loaded[type(value)][value.pk] if isinstance(value, Model) else value
        for key, value in objects.items()
    }
