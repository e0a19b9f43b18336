"""The responsibility matrix: areas of the student's journey and who holds which role in each.

An ``Assignment`` gives a role (Responsible, Accountable, Consulted,
Informed) in an area, at a level (university, faculty, department), to a
party: one unit, or every unit of a kind ("each faculty"). Assignments are
edited together with their area, so that the matrix rules can be checked
on the whole set before anything is saved.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Page

from cms.models import TranslatedPageMixin
from onboarding.units.kinds import KIND_EACH

from .forms import ResponsibilityAreaForm
from .levels import Level, Role

PARTY_KIND_CHOICES = [(kind.value, label) for kind, label in KIND_EACH.items()]


class Duty(models.TextChoices):
    """What the site itself sends to the unit an area names (each duty is held by one area)."""

    NONE = "", _("none")
    EXCHANGE_GUIDANCE = (
        "exchange_guidance",
        _("Pre-approval cases go to the unit Responsible; late ones to the unit Accountable"),
    )
    CRISIS_SUPPORT = "crisis_support", _("Crises abroad and requests to come home early")


class ResponsibilityArea(ClusterableModel):
    """A part of the international student's journey that someone must answer for."""

    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Areas are listed from the lowest number up.")
    )
    duty = models.CharField(
        _("what the site routes by it"),
        max_length=30,
        choices=Duty.choices,
        blank=True,
        default=Duty.NONE,
        help_text=_("The site sends this work to the units the area names. One area per duty."),
    )

    base_form_class = ResponsibilityAreaForm
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
        FieldPanel("duty"),
        InlinePanel("assignments", heading=_("Assignments"), label=_("Assignment")),
    ]

    class Meta:
        verbose_name = _("responsibility area")
        verbose_name_plural = _("responsibility areas")
        ordering = ["sort_order", "pk"]
        permissions = [("view_gap_report", _("Can view the responsibility gap report"))]
        constraints = [
            models.UniqueConstraint(
                fields=["duty"], condition=~models.Q(duty=""), name="responsibilities_duty_once"
            )
        ]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """One role in one area at one level, held by a unit or by every unit of a kind."""

    area = ParentalKey(
        ResponsibilityArea,
        verbose_name=_("area"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    role = models.CharField(_("role"), max_length=1, choices=Role.choices)
    unit = models.ForeignKey(
        "units.UnitPage",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        # A deleted unit leaves its assignments behind for the gap report to find.
        on_delete=models.SET_NULL,
        related_name="responsibility_assignments",
    )
    unit_kind = models.CharField(
        _("or every unit of a kind"), max_length=32, blank=True, choices=PARTY_KIND_CHOICES
    )
    # The unit's name when the assignment was last saved, to name a unit that is gone.
    unit_name = models.CharField(_("unit name"), max_length=255, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [
        FieldPanel("level"),
        FieldPanel("role"),
        FieldPanel("unit"),
        FieldPanel("unit_kind"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(unit_kind=""),
                name="responsibilities_assignment_one_party",
            ),
            models.UniqueConstraint(
                fields=["area", "level", "unit", "role"],
                condition=Q(unit__isnull=False),
                name="responsibilities_assignment_unique_unit_role",
            ),
            models.UniqueConstraint(
                fields=["area", "level", "unit_kind", "role"],
                condition=~Q(unit_kind=""),
                name="responsibilities_assignment_unique_kind_role",
            ),
        ]

    def __str__(self):
        return f"{self.area} · {self.get_level_display()} · {self.party_label}: {self.get_role_display()}"

    def save(self, *args, **kwargs):
        if self.unit_id and self.unit is not None:
            self.unit_name = (getattr(self.unit, "title_nb", "") or self.unit.title)[:255]
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.unit_id and self.unit_kind:
            raise ValidationError(
                _("Choose a unit or a kind of unit, not both."), code="two_parties"
            )
        if not self.unit_id and not self.unit_kind:
            raise ValidationError(_("Choose a unit or a kind of unit."), code="no_party")

    @property
    def party_key(self):
        """Who holds the role, as a hashable key: ``("unit", id)`` or ``("kind", kind)``."""
        if self.unit_id:
            return ("unit", self.unit_id)
        if self.unit_kind:
            return ("kind", self.unit_kind)
        return ("missing", self.pk)

    @property
    def party_label(self):
        if self.unit_id and self.unit is not None:
            return self.unit.title
        if self.unit_kind:
            return str(KIND_EACH.get(self.unit_kind, self.unit_kind))
        return self.unit_name or _("(deleted unit)")


class ResponsibilityMatrixPage(TranslatedPageMixin, Page):
    """The public "Who does what": the matrix as tables, one per level, in both languages."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    settings_panels = Page.settings_panels + [FieldPanel("single_language")]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1
    # Cached for anonymous readers; any change to an area or assignment clears the cache.
    cache_anonymous = True

    class Meta:
        verbose_name = _("responsibility matrix page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import responsibility_matrix

        context = super().get_context(request, *args, **kwargs)
        context["matrix"] = responsibility_matrix(request=request)
        return context
