"""Reads of site content.

The site search (every registered source, both languages) lives in
``cms.search.selectors``; it is named here too, where views look for reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection

from .search.selectors import SearchOutcome, site_search

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from onboarding.accounts.models import User

__all__ = ["ReaderHeader", "SearchOutcome", "reader_header_get", "site_search"]


@dataclass(frozen=True)
class ReaderHeader:
    """What the header shows of the signed-in reader: never cached, read in one query."""

    unread: int
    may_open_admin: bool


ADMIN_PERMISSION = ("wagtailadmin", "access_admin")
_READER_HEADER_SQL: str | None = None


def _reader_header_sql() -> str:
    """The header's one query, as SQL: built once, from the models' own table names."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from onboarding.live.models import Notification

    user_model = get_user_model()
    user_permissions = user_model.user_permissions.through._meta
    user_groups = user_model.groups.through._meta
    group_permissions = Group.permissions.through._meta

    def column(meta: Any, field: str) -> str:
        return meta.get_field(field).column

    user_field = str(user_model._meta.model_name)
    # Only the models' own table and column names go into the text; the values are parameters.
    return (
        f"SELECT (SELECT COUNT(*) FROM {Notification._meta.db_table}"  # noqa: S608
        f" WHERE {column(Notification._meta, 'recipient')} = %s AND read_at IS NULL),"
        f" EXISTS (SELECT 1 FROM {Permission._meta.db_table} p"
        f" JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id"
        " WHERE ct.app_label = %s AND p.codename = %s AND ("
        f"p.id IN (SELECT {column(user_permissions, 'permission')} FROM {user_permissions.db_table}"
        f" WHERE {column(user_permissions, user_field)} = %s)"
        f" OR p.id IN (SELECT gp.{column(group_permissions, 'permission')}"
        f" FROM {group_permissions.db_table} gp JOIN {user_groups.db_table} ug"
        f" ON ug.{column(user_groups, 'group')} = gp.{column(group_permissions, 'group')}"
        f" WHERE ug.{column(user_groups, user_field)} = %s)))"
    )


def reader_header_get(*, user: User | AnonymousUser | None) -> ReaderHeader | None:
    """The reader's unread notifications and whether the admin is theirs, in one query.

    None for anonymous readers. Staff and superusers may open the admin; anyone
    else when they or one of their groups hold ``wagtailadmin.access_admin`` (as
    ``user.has_perm`` says, which would take two queries of its own).

    It runs on every signed-in page, so it is plain SQL (built once from the
    models' table names, with parameters): the same query through the ORM, with
    its two subqueries, took 1.7 ms to build against 0.03 ms to run
    (docs/performance.md). The query tests check it against the ORM's answer.
    """
    if user is None or not user.is_authenticated:
        return None
    global _READER_HEADER_SQL
    if _READER_HEADER_SQL is None:
        _READER_HEADER_SQL = _reader_header_sql()
    app_label, codename = ADMIN_PERMISSION
    with connection.cursor() as cursor:
        cursor.execute(_READER_HEADER_SQL, [user.pk, app_label, codename, user.pk, user.pk])
        unread_count, by_permission = cursor.fetchone()
    return ReaderHeader(
        unread=unread_count,
        may_open_admin=bool(
            user.is_active and (user.is_staff or user.is_superuser or by_permission)
        ),
    )
