"""The personal-data register: every model field that holds personal data, declared once.

Each app declares its own models in its ``wagtail_hooks.py`` under the
``PERSONAL_DATA`` hook (see ``onboarding/hooks.py``), so this lowest app
never imports the apps above it. An entry (``PersonalData``) names the model,
the foreign key that leads to the person the rows are about (``subject``),
the fields that hold personal data, the fields that do not (ids, links to
content), and what the data is for: purpose, legal basis, retention, whether
the person's download includes it, and how it is erased. "Download my data"
and the privacy notice are generated from here; a test holds every model
with a link to a person, and every field of such a model, to the register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks

from onboarding.hooks import PERSONAL_DATA


class Purpose(models.TextChoices):
    """Why the site keeps personal data; the privacy notice is organised by these."""

    ACCOUNT = "account", _("Your account and signing in")
    ARRIVAL_PLAN = "arrival_plan", _("Your profile, arrival plan and documents")
    NOTIFICATIONS = "notifications", _("Notifications, emails and reminders")
    FOLLOWS = "follows", _("The units you follow")
    EVENTS = "events", _("Event signups, tickets and check-in")
    COURSES = "courses", _("Norwegian courses: placement, applications and enrolment")
    EXCHANGE = "exchange", _("Going abroad: your programme and experience reports")
    BUDDIES = "buddies", _("The buddy programme")
    ACCOUNTABILITY = "accountability", _("Records of what staff and organisers did")


class LegalBasis(models.TextChoices):
    """The lawful basis (GDPR article 6(1)) each kind of processing rests on."""

    CONSENT = "consent", _("Your consent (GDPR art. 6(1)(a))")
    PUBLIC_TASK = (
        "public_task",
        _("The university's task in the public interest (GDPR art. 6(1)(e))"),
    )
    LEGAL_OBLIGATION = "legal_obligation", _("A legal obligation (GDPR art. 6(1)(c))")


class Erasure(models.TextChoices):
    """What deleting an account or expiry does to a row."""

    DELETE = "delete", _("Deleted")
    ANONYMISE = "anonymise", _("Kept without anything that points to you, for figures")
    # Records the law asks for of what staff did (who exported people's data): the name
    # stays until the record's own retention runs out.
    KEEP = "keep", _("Kept with your name, as a record of what you did as staff")


@dataclass(frozen=True)
class Retention:
    """How long rows are kept: ``days`` after the date in ``after``, else while the account exists.

    ``after`` is a field of the model or a lookup through its links
    (``signup__event__end_at``). ``only``, as ``filter()`` keywords, limits the
    rows that expire so (answers to personal questions); ``only_label`` says
    which in words. The other rows are kept until the account is deleted.
    """

    days: int | None = None
    after: str = ""
    only: dict[str, Any] = field(default_factory=dict, compare=False)
    only_label: Promise | str = ""

    def expires(self) -> bool:
        return self.days is not None

    def after_field(self, model: type[models.Model]) -> Any:
        """The date field ``after`` leads to, following links from ``model``."""
        names = self.after.split("__")
        current: Any = model
        for name in names[:-1]:
            current = current._meta.get_field(name).related_model
        return current._meta.get_field(names[-1])

    def describe(self, model: type[models.Model], *, outlives_account: bool = False) -> str:
        """The retention in words, in the active language; ``outlives_account`` for records
        that deleting the account does not end."""
        if self.days is None:
            return str(_("Until you delete your account"))
        label = getattr(self.after_field(model), "verbose_name", self.after)
        if outlives_account:
            text = ngettext(
                "%(days)d day after the date “%(field)s”",
                "%(days)d days after the date “%(field)s”",
                self.days,
            ) % {"days": self.days, "field": label}
        else:
            text = ngettext(
                "%(days)d day after the date “%(field)s”, or when you delete your account",
                "%(days)d days after the date “%(field)s”, or when you delete your account",
                self.days,
            ) % {"days": self.days, "field": label}
        if self.only:
            return _("%(which)s: %(retention)s; the others until you delete your account") % {
                "which": self.only_label,
                "retention": text,
            }
        return text


UNTIL_DELETED = Retention()

# ``files(row)`` gives each file a row keeps: the name to give it and the open file.
FileOpener = Callable[[Any], Iterable[tuple[str, IO[bytes]]]]


@dataclass(frozen=True)
class PersonalData:
    """One model in the register.

    ``subjects`` are the lookups that lead from a row to a person it is about
    (``"person"``, ``"student__user"``; none for the user model itself), and
    the fields they start from are personal. ``fields`` are the other fields
    that hold personal data; ``other_fields`` are the model's remaining fields
    (ids, links to content), declared so that a field added later without a
    decision makes a test fail.
    """

    model: type[models.Model]
    subjects: tuple[str, ...]
    fields: tuple[str, ...]
    other_fields: tuple[str, ...]
    purpose: Purpose
    legal_basis: LegalBasis
    retention: Retention = UNTIL_DELETED
    exported: bool = True
    erasure: Erasure = Erasure.DELETE
    files: FileOpener | None = field(default=None, compare=False)
    # Rows the person's download leaves out until they may know of them (a match
    # the organisers have not published yet), as ``filter()`` keywords.
    shown: dict[str, Any] = field(default_factory=dict, compare=False)
    # Other fields the download shows to say what a row is about (the event of a signup).
    context: tuple[str, ...] = ()
    # ``Erasure.ANONYMISE``: the personal fields emptied when the rows stay (the rows keep
    # pointing to the account, which is itself emptied).
    cleared: tuple[str, ...] = ()
    # ``release(user=..., now=...) -> int``: gives back what the person holds (places on
    # events and courses) through the app's services before the rows are erased.
    release: Callable[..., int] | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def title(self) -> Promise | str:
        return self.model._meta.verbose_name_plural or self.model._meta.object_name or ""

    def retention_text(self) -> str:
        """How long the rows are kept, in words, in the active language."""
        return self.retention.describe(self.model, outlives_account=self.erasure == Erasure.KEEP)

    @property
    def subject_fields(self) -> tuple[str, ...]:
        """The fields the subjects start from."""
        return tuple(dict.fromkeys(lookup.split("__")[0] for lookup in self.subjects))

    @property
    def exported_fields(self) -> tuple[str, ...]:
        """What the download shows of a row: its context, then its personal fields."""
        return self.context + self.personal_fields

    @property
    def personal_fields(self) -> tuple[str, ...]:
        """Every personal field: the subject fields, then the others, each once."""
        return tuple(dict.fromkeys(self.subject_fields + self.fields))

    def rows_of(self, user: Any) -> models.QuerySet[Any]:
        """The rows about ``user``, oldest first."""
        manager = self.model._default_manager
        if not self.subjects:
            return manager.filter(pk=user.pk)
        about = models.Q()
        for lookup in self.subjects:
            about |= models.Q(**{lookup: user})
        return manager.filter(about).distinct().order_by("pk")


class RegisterError(Exception):
    """The register contradicts itself or the models (a programming error, raised at once)."""


def personal_data_register() -> list[PersonalData]:
    """Every registered entry, ordered by purpose and model; raises ``RegisterError`` when
    a model is registered twice or an entry names a field its model does not have."""
    entries: dict[type[models.Model], PersonalData] = {}
    for fn in hooks.get_hooks(PERSONAL_DATA):
        for entry in fn():
            _check(entry)
            if entry.model in entries:
                raise RegisterError(f"{entry.key} is registered twice")
            entries[entry.model] = entry
    purposes = list(Purpose)
    return sorted(entries.values(), key=lambda e: (purposes.index(e.purpose), e.key))


def _check(entry: PersonalData) -> None:
    personal = entry.personal_fields
    if set(personal) & set(entry.other_fields):
        raise RegisterError(f"{entry.key}: a field is both personal and not")
    known = {f.name for f in entry.model._meta.get_fields() if f.concrete}
    unknown = (set(personal) | set(entry.other_fields)) - known
    if unknown:
        raise RegisterError(f"{entry.key}: no such fields {sorted(unknown)}")
    if not set(entry.cleared) <= set(entry.fields):
        raise RegisterError(f"{entry.key}: only personal fields can be cleared")
    if entry.cleared and entry.erasure != Erasure.ANONYMISE:
        raise RegisterError(f"{entry.key}: fields are cleared only where rows are anonymised")
    for name in entry.cleared:
        cleared_value(entry.model._meta.get_field(name))
    if not set(entry.context) <= set(entry.other_fields):
        raise RegisterError(f"{entry.key}: the context must be among the other fields")
    if entry.erasure == Erasure.KEEP and not entry.retention.expires():
        raise RegisterError(f"{entry.key}: a record kept after the account needs a retention")
    if entry.retention.expires():
        try:
            after = entry.retention.after_field(entry.model)
        except (AttributeError, FieldDoesNotExist) as error:
            raise RegisterError(f"{entry.key}: retention counts from an unknown field") from error
        if not after.concrete or after.is_relation:
            raise RegisterError(f"{entry.key}: retention counts from an unknown field")
    if entry.retention.only and not entry.retention.only_label:
        raise RegisterError(f"{entry.key}: say in words which rows the retention is for")
    for lookup in entry.subjects:
        model: Any = entry.model
        for name in lookup.split("__"):
            model = model._meta.get_field(name).related_model
            if model is None:
                raise RegisterError(f"{entry.key}: {lookup} does not lead to a person")
        if model is not get_user_model():
            raise RegisterError(f"{entry.key}: {lookup} does not lead to the user model")


def cleared_value(model_field: Any) -> Any:
    """What an anonymised field is set to: null, empty text, or its default."""
    if model_field.null:
        return None
    if isinstance(model_field, models.CharField | models.TextField):
        return ""
    if model_field.has_default():
        return model_field.get_default()
    raise RegisterError(f"{model_field} cannot be cleared: it has no empty value")


def unregistered_fields(entry: PersonalData) -> set[str]:
    """The model's concrete fields the entry says nothing about."""
    known = {f.name for f in entry.model._meta.get_fields() if f.concrete}
    return known - set(entry.personal_fields) - set(entry.other_fields)


def exported_entries() -> Iterator[PersonalData]:
    """The entries a person's download includes."""
    return (entry for entry in personal_data_register() if entry.exported)


PROJECT_PACKAGES = ("onboarding.", "cms")

# Models of the libraries the site uses that point to a person and are deliberately left out
# of the register, and why. Deleting an account leaves their rows pointing to the emptied
# account, which says nothing about who it was.
OUTSIDE_THE_REGISTER = {
    "wagtailcore.Page": "who owns and who locked a page: the editorial record of the content",
    "wagtailcore.Revision": "who saved a revision of the content",
    "wagtailcore.PageLogEntry": "the content's history: who did what to a page",
    "wagtailcore.ModelLogEntry": "the content's history: who did what to a snippet",
    "wagtailcore.WorkflowState": "who asked for a page to be approved",
    "wagtailcore.TaskState": "who approved or rejected a page",
    "wagtailcore.Comment": "editors' comments on a page, part of its editing",
    "wagtailcore.CommentReply": "editors' replies to comments on a page",
    "wagtailcore.UploadedFile": "who uploaded a file to the content",
    "wagtailimages.Image": "who uploaded an image to the content",
    "wagtaildocs.Document": "who uploaded a document to the content",
    "admin.LogEntry": "Django's admin history, unused by the site but installed",
    "account.EmailConfirmation": "deleted with the email address it confirms",
}


def unregistered_models() -> list[str]:
    """The models that hold personal data and are neither in the register nor, for a library's
    models, in ``OUTSIDE_THE_REGISTER``.

    A model holds personal data when it declares a link to the user model or
    to a registered model whose rows are about a person (a buddy profile).
    Links a model inherits from Wagtail's page (owner, locked by) are
    Wagtail's own and do not count. The project's own models must all be in
    the register.
    """
    entries = personal_data_register()
    registered = {entry.model for entry in entries}
    people = {get_user_model()} | {entry.model for entry in entries if entry.subjects}
    missing = []
    for model in apps.get_models():
        if model in registered:
            continue
        ours = model._meta.app_config.name.startswith(PROJECT_PACKAGES)
        if not ours and model._meta.label in OUTSIDE_THE_REGISTER:
            continue
        if any(
            f.concrete and f.is_relation and f.related_model in people and f.model is model
            for f in model._meta.get_fields()
        ):
            missing.append(model._meta.label)
    return missing
