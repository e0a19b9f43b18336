"""The glossary: subject terms in Norwegian and English, and students' proposals of new ones.

A ``Term`` is content (translated field by field, owned by a unit, edited in
the admin). A ``TermProposal`` is personal data: the student who proposed it
is kept with it until the account is deleted.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

LANGUAGES = ("nb", "en")
LANGUAGE_CHOICES = [("nb", _("Norwegian")), ("en", _("English"))]

# Letters after z in Norwegian order; other letters with marks sort as their base letter.
_NORWEGIAN_AFTER_Z = {"æ": "{", "ø": "|", "å": "}"}
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ß": "ss"})


def fold(text: str) -> str:
    """``text`` compared case- and accent-insensitively: lower case, marks dropped, spaces
    collapsed (``"Studentråd"`` and ``"studentrad"`` fold alike)."""
    lowered = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    bare = "".join(char for char in lowered if not unicodedata.combining(char))
    return " ".join(bare.split())


def lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, stripped: a field that holds one name per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def sort_key(text: str, language: str) -> str:
    """The key that orders ``text`` alphabetically in ``language`` (æ ø å after z in nb)."""
    key = []
    for char in text.casefold().strip():
        if language == "nb" and char in _NORWEGIAN_AFTER_Z:
            key.append(_NORWEGIAN_AFTER_Z[char])
            continue
        base = unicodedata.normalize("NFKD", char.translate(_FOLD))
        key.append("".join(c for c in base if not unicodedata.combining(c)))
    return "".join(key)


def initial(text: str, language: str) -> str:
    """The letter ``text`` is listed under in ``language``: A–Z, and Æ Ø Å in Norwegian; "#"
    for anything else (a digit)."""
    first = text.strip()[:1].upper()
    if not first:
        return "#"
    if first in "ÆØÅ":
        return first if language == "nb" else first.translate(str.maketrans("ÆØÅ", "AOA"))
    base = unicodedata.normalize("NFKD", first)[:1]
    return base if "A" <= base <= "Z" else "#"


class Term(index.Indexed, models.Model):
    """A subject term in Norwegian and English (or deliberately in one), owned by a unit."""

    term = models.CharField(_("term"), max_length=200, blank=True)
    synonyms = models.TextField(
        _("synonyms"), blank=True, help_text=_("Other accepted names, one per line.")
    )
    abbreviations = models.TextField(
        _("abbreviations"), blank=True, help_text=_("Abbreviations and acronyms, one per line.")
    )
    definition = models.TextField(_("definition"), blank=True)
    field = models.ForeignKey(
        "exchange.IscedField",
        verbose_name=_("subject field"),
        on_delete=models.PROTECT,
        related_name="glossary_terms",
    )
    owner = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        related_name="glossary_terms",
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("The term's address, the same in both languages; keep it once published."),
    )
    single_language = models.CharField(
        _("exists in one language only"),
        max_length=2,
        blank=True,
        choices=[("", _("Both languages")), ("nb", _("Norwegian only")), ("en", _("English only"))],
        help_text=_(
            "Leave as both languages unless the term has no established name in the other "
            "language yet: readers of that language are then told so."
        ),
    )
    # Where an imported term came from (the termbase's entry id), to find it again.
    source_id = models.CharField(_("source id"), max_length=200, blank=True, db_index=True)
    # Every name in both languages, folded, one per line between newlines: one query finds a
    # term by any of its names (``selectors.term_synonyms``).
    names_key = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    search_fields = [
        index.SearchField("term_nb"),
        index.SearchField("term_en"),
        index.SearchField("synonyms_nb"),
        index.SearchField("synonyms_en"),
        index.SearchField("abbreviations_nb"),
        index.SearchField("abbreviations_en"),
        index.SearchField("definition_nb"),
        index.SearchField("definition_en"),
        index.FilterField("single_language"),
    ]

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_id"],
                condition=~Q(source_id=""),
                name="glossary_term_source_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name_in(translation.get_language() or "nb") or self.any_name()

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.names_key = self.compute_names_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "names_key"}
        super().save(*args, **kwargs)

    def value(self, field: str, language: str) -> str:
        return getattr(self, f"{field}_{language}", "") or ""

    def name_in(self, language: str) -> str:
        """The term in ``language``, or "" when it has none there."""
        return self.value("term", language).strip()

    def any_name(self) -> str:
        return self.name_in("nb") or self.name_in("en")

    def languages(self) -> tuple[str, ...]:
        """The languages the term exists in."""
        return tuple(language for language in LANGUAGES if self.name_in(language))

    def synonyms_in(self, language: str) -> list[str]:
        return lines(self.value("synonyms", language))

    def abbreviations_in(self, language: str) -> list[str]:
        return lines(self.value("abbreviations", language))

    def names_in(self, language: str) -> list[str]:
        """The term, its synonyms and abbreviations in ``language``."""
        name = self.name_in(language)
        return [
            *([name] if name else []),
            *self.synonyms_in(language),
            *self.abbreviations_in(language),
        ]

    def compute_names_key(self) -> str:
        names = {fold(name) for language in LANGUAGES for name in self.names_in(language)}
        names.discard("")
        return "\n" + "\n".join(sorted(names)) + "\n" if names else ""

    def get_url(self, language: str | None = None) -> str:
        with translation.override(language or translation.get_language() or "nb"):
            return reverse("glossary:term", kwargs={"slug": self.slug})


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class TermProposal(models.Model):
    """A student's proposal of a missing term, sent to the unit that would own it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.CASCADE,
        related_name="glossary_proposals",
    )
    term = models.CharField(_("term"), max_length=200)
    language = models.CharField(_("language of the term"), max_length=2, choices=LANGUAGE_CHOICES)
    definition = models.TextField(_("definition"), blank=True)
    field = models.ForeignKey(
        "exchange.IscedField",
        verbose_name=_("subject field"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="glossary_proposals",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_term = models.ForeignKey(
        Term,
        verbose_name=_("term made"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)

    PERSONAL_FIELDS = ("term", "language", "definition", "status", "reason", "created_at")

    class Meta:
        verbose_name = _("term proposal")
        verbose_name_plural = _("term proposals")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.term
