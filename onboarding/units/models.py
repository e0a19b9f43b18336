"""Units: the organisation chart as pages, and the plain records that hang off them.

Every unit (the International Section, a faculty, a department, a student
council, the student parliament, a line association, a volunteer group, the
language centre) is a ``UnitPage``; its ``kind`` says which. What a unit
publishes lives under its page, so ``subpage_types`` is left open for other
apps; the unit-to-unit rules are enforced through ``parent_page_types`` and
the placement checks in ``clean`` and ``can_move_to``.

Personal data (who follows what, who confirmed a page) lives in plain models
here, never on the pages.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PagePermissionTester
from wagtail.search import index

from cms.models import TranslatedPageMixin

from .forms import UnitPageForm
from .kinds import (
    ALLOWED_PARENTS,
    DIRECTORY,
    KIND_ORDER,
    PARENT_SINGLETONS,
    PLACEMENT_MESSAGES,
    SITE_SINGLETONS,
    VOLUNTEER_INDEX,
    UnitKind,
    child_kinds,
    may_sit_under,
)
from .panels import UnitStatusPanel

# A unit that has not confirmed its page for this many months is shown as
# possibly inactive.
STALE_AFTER_MONTHS = 12


def stale_cutoff(now=None):
    """The moment before which a confirmation is too old: the same moment 12 months ago."""
    now = now or timezone.now()
    year, month = now.year, now.month - STALE_AFTER_MONTHS
    while month < 1:
        month += 12
        year -= 1
    day = now.day
    while True:
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:  # 29-31 in a shorter month
            day -= 1


class MeetingLanguage(models.TextChoices):
    ENGLISH = "en", pgettext_lazy("a language on its own, not in a sentence", "English")
    NORWEGIAN = "nb", pgettext_lazy("a language on its own, not in a sentence", "Norwegian")
    BOTH = "nb_en", _("Norwegian and English")
    ENGLISH_ON_REQUEST = "nb_en_on_request", _("Norwegian; English on request")


class SocialLinkValue(blocks.StructValue):
    def label(self):
        """The platform's name, or the address itself for any other site."""
        if self.get("platform") == "other":
            return self.get("url")
        return dict(SOCIAL_PLATFORMS).get(self.get("platform"), self.get("url"))


SOCIAL_PLATFORMS = [
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("linkedin", "LinkedIn"),
    ("discord", "Discord"),
    ("tiktok", "TikTok"),
    ("youtube", "YouTube"),
    ("mastodon", "Mastodon"),
    ("x", "X"),
    ("other", _("Other")),
]


class SocialLinkBlock(blocks.StructBlock):
    platform = blocks.ChoiceBlock(
        label=_("Platform"),
        choices=SOCIAL_PLATFORMS,
    )
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link"
        label = _("Social link")
        value_class = SocialLinkValue


class UnitDirectoryPage(TranslatedPageMixin, Page):
    """The directory of every unit: browse by kind and faculty, search by name."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = ["units.UnitPage", "units.VolunteerGroupIndexPage"]
    max_count = 1
    cache_anonymous = True

    class Meta:
        verbose_name = _("unit directory")

    def get_context(self, request, *args, **kwargs):
        from .page_context import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(request, directory=self))
        return context


class VolunteerGroupIndexPage(TranslatedPageMixin, Page):
    """Where the volunteer groups sit in the tree, with a page listing them."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]

    parent_page_types = ["units.UnitDirectoryPage"]
    subpage_types = ["units.UnitPage"]
    max_count = 1
    cache_anonymous = True

    class Meta:
        verbose_name = _("volunteer groups index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import unit_children

        context = super().get_context(request, *args, **kwargs)
        context["units"] = unit_children(parent=self)
        return context


def parent_slot(parent):
    """The slot a page offers to units placed under it (see ``kinds``), or None."""
    if parent is None:
        return None
    cls = parent.specific_class
    if cls is None:
        return None
    if issubclass(cls, UnitDirectoryPage):
        return DIRECTORY
    if issubclass(cls, VolunteerGroupIndexPage):
        return VOLUNTEER_INDEX
    if issubclass(cls, UnitPage):
        if isinstance(parent, UnitPage):
            return parent.kind
        return UnitPage.objects.filter(pk=parent.pk).values_list("kind", flat=True).first()
    return None


def placement_errors(*, kind, parent, unit=None):
    """Translated reasons why a unit of ``kind`` may not sit under ``parent`` (empty if it may).

    ``unit`` is the unit being placed, when it exists already: it does not
    count against itself as "there is already one".
    """
    errors = []
    if kind not in ALLOWED_PARENTS:
        return [_("Choose the kind of unit.")]
    if not may_sit_under(kind, parent_slot(parent)):
        errors.append(PLACEMENT_MESSAGES[kind])
    others = UnitPage.objects.filter(kind=kind)
    if unit is not None and unit.pk:
        others = others.exclude(pk=unit.pk)
    if kind in SITE_SINGLETONS:
        existing = others.first()
        if existing is not None:
            errors.append(SITE_SINGLETONS[kind] % {"title": existing.title})
    if kind in PARENT_SINGLETONS and parent is not None:
        existing = others.child_of(parent).first()
        if existing is not None:
            errors.append(PARENT_SINGLETONS[kind] % {"title": existing.title})
    return errors


def children_errors(*, kind, unit):
    """Reasons why ``unit``'s existing child units could not stay under a unit of ``kind``."""
    if not unit.pk or not unit.path:
        return []
    misplaced = [
        child.title
        for child in UnitPage.objects.child_of(unit).only("title", "kind").order_by("path")
        if not may_sit_under(child.kind, kind)
    ]
    if not misplaced:
        return []
    return [
        _("These units below it cannot sit under a %(kind)s: %(titles)s.")
        % {"kind": UnitKind(kind).label.lower(), "titles": ", ".join(misplaced)}
    ]


class UnitPagePermissionTester(PagePermissionTester):
    """Deleting or moving a unit changes the organisation chart: the International Section's job.

    A unit's editors keep every other right on their branch (edit, add,
    publish, unpublish, lock); the content below a unit follows the usual rules.
    """

    def _may_restructure(self):
        return self.user.is_active and (
            self.user.is_superuser or self.user.has_perm("units.change_unit_structure")
        )

    def can_delete(self, ignore_bulk=False):
        return self._may_restructure() and super().can_delete(ignore_bulk=ignore_bulk)

    def can_move(self):
        return self._may_restructure() and super().can_move()


class UnitPage(TranslatedPageMixin, Page):
    """A unit of the university or of student life, with what it offers international students."""

    kind = models.CharField(_("kind of unit"), max_length=32, choices=UnitKind.choices)
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("An abbreviation or short form, if the unit is known by one."),
    )
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("What the unit is and does, in a few sentences.")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting_language = models.CharField(
        _("meeting language"),
        max_length=20,
        blank=True,
        choices=MeetingLanguage.choices,
        help_text=_("The language the unit's meetings and activities are held in."),
    )
    how_to_join = models.TextField(
        _("how to join"),
        blank=True,
        help_text=_("How an international student takes part or becomes a member."),
    )
    international_contact_name = models.CharField(
        _("international contact"), max_length=120, blank=True
    )
    international_contact_role = models.CharField(
        _("international contact's role"), max_length=120, blank=True
    )
    international_contact_email = models.EmailField(_("international contact's email"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    social_links = StreamField(
        [("link", SocialLinkBlock())], blank=True, verbose_name=_("social links")
    )
    # Set by ``unit_confirm`` only; kept across revisions (see with_content_json).
    last_confirmed = models.DateTimeField(
        _("last confirmed"), null=True, blank=True, editable=False
    )

    optional_translated_fields = TranslatedPageMixin.optional_translated_fields + (
        "short_name",
        "international_contact_role",
    )
    base_form_class = UnitPageForm

    content_panels = [
        UnitStatusPanel(heading=_("Status")),
        *Page.content_panels,
        FieldPanel("short_name"),
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [
                FieldPanel("meeting_language"),
                FieldPanel("how_to_join"),
                FieldPanel("international_contact_name"),
                FieldPanel("international_contact_role"),
                FieldPanel("international_contact_email"),
            ],
            heading=_("For international students"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("website"), FieldPanel("social_links")],
            heading=_("Contact"),
        ),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]
    search_fields = Page.search_fields + [
        index.SearchField("short_name"),
        index.SearchField("intro"),
        index.FilterField("kind"),
        # Each language's columns on their own: the site search stems each in its language.
        index.SearchField("title_nb", boost=2),
        index.SearchField("title_en", boost=2),
        index.SearchField("short_name_nb", boost=2),
        index.SearchField("short_name_en", boost=2),
        index.SearchField("intro_nb"),
        index.SearchField("intro_en"),
        index.SearchField("how_to_join_nb"),
        index.SearchField("how_to_join_en"),
    ]

    parent_page_types = [
        "units.UnitDirectoryPage",
        "units.VolunteerGroupIndexPage",
        "units.UnitPage",
    ]
    # A copy is a new unit: it confirms its own page.
    exclude_fields_in_copy = ["last_confirmed"]
    # Anonymous readers see no per-person part (the follow button asks them to log in).
    cache_anonymous = True

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        permissions = [
            ("change_unit_structure", _("Can change the kind of an existing unit")),
            ("view_unit_reports", _("Can view the unit reports")),
            ("manage_unit_people", _("Can manage the editors and organisers of every unit")),
        ]
        indexes = [models.Index(fields=["kind"], name="units_unitpage_kind")]

    def __str__(self):
        return self.title

    # --- Tree rules --------------------------------------------------------------------

    @classmethod
    def can_create_at(cls, parent):
        if not super().can_create_at(parent):
            return False
        kinds = child_kinds(parent_slot(parent))
        # Only one-off kinds need the database (is there one already?); the
        # admin asks this for every page it lists.
        if any(kind not in SITE_SINGLETONS and kind not in PARENT_SINGLETONS for kind in kinds):
            return True
        return any(not placement_errors(kind=kind, parent=parent) for kind in kinds)

    def can_move_to(self, parent):
        if not super().can_move_to(parent):
            return False
        return not placement_errors(kind=self.kind, parent=parent, unit=self)

    def permissions_for_user(self, user):
        return UnitPagePermissionTester(user, self)

    def clean(self):
        super().clean()
        if not self.path:
            # Not in the tree yet: the admin form checks the placement against its parent.
            return
        parent = self.get_parent()
        errors = placement_errors(kind=self.kind, parent=parent, unit=self)
        errors += children_errors(kind=self.kind, unit=self)
        if errors:
            raise ValidationError({"kind": errors})

    def with_content_json(self, content):
        # The confirmation belongs to the unit, not to a revision: restoring or
        # publishing an older revision must not take it back in time.
        obj = super().with_content_json(content)
        obj.last_confirmed = self.last_confirmed
        return obj

    # --- Freshness ---------------------------------------------------------------------

    @property
    def confirmed_at(self):
        """When the unit last said its page is up to date (first publication counts as one)."""
        return self.last_confirmed or self.first_published_at

    @property
    def is_stale(self):
        confirmed = self.confirmed_at
        return confirmed is None or confirmed < stale_cutoff()

    @cached_property
    def kind_order(self):
        return KIND_ORDER.index(self.kind) if self.kind in KIND_ORDER else len(KIND_ORDER)

    def get_context(self, request, *args, **kwargs):
        from .page_context import unit_context

        context = super().get_context(request, *args, **kwargs)
        context.update(unit_context(request, unit=self))
        return context


class Follow(models.Model):
    """A person follows a unit: it shows under "My connections"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="unit_follows",
    )
    unit = models.ForeignKey(
        UnitPage, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)

    # Every field holding personal data, for export and erasure.
    PERSONAL_FIELDS = ("user", "unit", "created_at")

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="units_follow_unique_user_unit")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.unit_id}"


class UnitConfirmation(models.Model):
    """One click of "this page is up to date": when, and by whom."""

    unit = models.ForeignKey(
        UnitPage, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="confirmations"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    PERSONAL_FIELDS = ("confirmed_by", "confirmed_at")

    class Meta:
        verbose_name = _("unit confirmation")
        verbose_name_plural = _("unit confirmations")
        ordering = ["-confirmed_at"]
        get_latest_by = "confirmed_at"


class UnitEditorsGroup(models.Model):
    """The editors' group and media collection made for a unit when it is first published."""

    unit = models.OneToOneField(
        UnitPage, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="editors_link"
    )
    group = models.OneToOneField(
        "auth.Group", verbose_name=_("group"), on_delete=models.CASCADE, related_name="unit_link"
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("collection"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit editors' group")
        verbose_name_plural = _("unit editors' groups")

    def __str__(self):
        return self.group.name


# --- Editors, organisers and their hand-over -----------------------------------------------


class UnitRole(models.TextChoices):
    """The rights a person can hold on a unit.

    An editor is in the unit's editors' group: edits its pages in the admin
    (with two-factor authentication) and sees and checks in its events'
    attendees. An organiser only sees the attendees of the unit's events and
    checks people in: no admin access, no two-factor step.
    """

    EDITOR = "editor", _("editor")
    ORGANISER = "organiser", _("organiser")


class UnitOrganiser(models.Model):
    """A person who checks people in at the unit's events (see ``UnitRole.ORGANISER``)."""

    unit = models.ForeignKey(
        UnitPage, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="organisers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="unit_organiser_roles",
    )
    created_at = models.DateTimeField(_("organiser since"), default=timezone.now)

    PERSONAL_FIELDS = ("user", "created_at")

    class Meta:
        verbose_name = _("unit organiser")
        verbose_name_plural = _("unit organisers")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="units_organiser_unique")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.unit_id}"


class UnitInvitation(models.Model):
    """An invitation, sent by email, to become an editor or organiser of a unit.

    Only a hash of its secret is stored (the link in the email holds the secret
    itself). It can be accepted once, until ``expires_at``, unless revoked.
    """

    unit = models.ForeignKey(
        UnitPage, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=UnitRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    token_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    PERSONAL_FIELDS = ("invited_by", "accepted_by", "email", "created_at", "accepted_at")

    class Meta:
        verbose_name = _("unit invitation")
        verbose_name_plural = _("unit invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} → {self.unit_id} ({self.role})"

    def is_pending(self, now=None):
        """Neither accepted nor revoked, and not expired."""
        now = now or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and now < self.expires_at


class RightsAction(models.TextChoices):
    INVITED = "invited", _("invited")
    ACCEPTED = "accepted", _("accepted the invitation")
    REVOKED = "revoked", _("invitation revoked")
    REMOVED = "removed", _("removed")
    LEFT = "left", _("handed over and left")
    ADDED = "added", _("added by staff")


class UnitRightsChange(models.Model):
    """One change of who may edit or organise for a unit: the unit's record of its hand-overs."""

    unit = models.ForeignKey(
        UnitPage, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="rights_changes"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # For an invitation to someone who may have no account yet.
    email = models.EmailField(_("email address"), blank=True)
    role = models.CharField(_("role"), max_length=16, choices=UnitRole.choices)
    action = models.CharField(_("change"), max_length=16, choices=RightsAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    PERSONAL_FIELDS = ("person", "by", "email", "at")

    class Meta:
        verbose_name = _("change of rights")
        verbose_name_plural = _("changes of rights")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["unit", "-at"], name="units_rights_unit_at")]

    def __str__(self):
        return f"{self.unit_id}: {self.action} {self.role}"
