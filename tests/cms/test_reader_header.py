"""The header's personal part in one query (cms.selectors.reader_header_get), against the ORM.

Marked ``stack``: the query is plain SQL, so it runs on SQLite here and on PostgreSQL in CI.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.selectors import reader_header_get
from onboarding.live.models import Notification
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.stack, pytest.mark.django_db]


def _admin_permission():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _notification(user, *, read=False):
    return Notification.objects.create(
        recipient=user,
        kind="event_changed",
        context={},
        language="en",
        subject="Changed",
        body="The event changed.",
        created_at=timezone.now(),
        read_at=timezone.now() if read else None,
    )


def test_anonymous_readers_have_no_header_of_their_own():
    assert reader_header_get(user=AnonymousUser()) is None
    assert reader_header_get(user=None) is None


def test_counts_only_the_readers_own_unread_notifications():
    reader, other = UserFactory(), UserFactory()
    _notification(reader)
    _notification(reader)
    _notification(reader, read=True)
    _notification(other)
    header = reader_header_get(user=reader)
    assert header.unread == 2 and header.may_open_admin is False
    assert reader_header_get(user=other).unread == 1
    assert reader_header_get(user=UserFactory()).unread == 0


def test_may_open_the_admin_exactly_when_has_perm_says_so():
    editors = Group.objects.create(name="Header test editors")
    editors.permissions.add(_admin_permission())
    plain = UserFactory()
    by_group = UserFactory()
    by_group.groups.add(editors)
    direct = UserFactory()
    direct.user_permissions.add(_admin_permission())
    other_permission = UserFactory()
    other_permission.user_permissions.add(Permission.objects.exclude(codename="access_admin")[0])
    inactive = UserFactory(is_active=False)
    inactive.groups.add(editors)
    staff = StaffFactory()
    for user in (plain, by_group, direct, other_permission, inactive, staff):
        expected = user.is_active and (user.is_staff or user.has_perm("wagtailadmin.access_admin"))
        assert reader_header_get(user=user).may_open_admin is expected, user.email


def test_one_query():
    user = UserFactory()
    with CaptureQueriesContext(connection) as queries:
        reader_header_get(user=user)
    assert len(queries) == 1
