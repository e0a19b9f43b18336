"""Demo onboarding checklists (``demo.toml``) and demo students at different stages.

Runs after the units and the responsibility matrix (it places checklists
under their units and points items at their areas). Safe to run again:
checklists keep their items (and the students' ticks) and are brought up to
date.
"""

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from cms.demo_data import Data, child_find, load, set_translated
from cms.models import InformationPage
from onboarding.accounts.demo import demo_password_hash
from onboarding.accounts.models import User
from onboarding.accounts.profile_services import profile_save
from onboarding.responsibilities.models import ResponsibilityArea
from onboarding.units.demo import demo_units
from onboarding.units.models import UnitPage
from onboarding.units.services import unit_editor_add

from .models import (
    AcademicSemester,
    ChecklistItem,
    ChecklistPage,
    DueKind,
    ItemSubmission,
    Region,
)
from .selectors import plan_get, plan_today
from .services import document_review, document_upload, progress_tick

DATA = load(__file__)


def seed_checklists() -> list[ChecklistPage]:
    """Create or refresh the demo checklists and students; returns the checklists made."""
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        units = demo_units()
        if "international-section" not in units:
            raise RuntimeError("Seed the units (onboarding.units.demo.seed_units) first.")
        areas = {area.name_en: area for area in ResponsibilityArea.objects.all()}
        pages = dict(InformationPage.objects.values_list("slug_en", "pk"))
        checklists = [
            _checklist(units, areas, pages, spec)
            for spec in DATA["checklist"]
            if spec["owner"] in units
        ]
        _semesters()
        _coordinator(units)
        for spec in DATA["student"]:
            _student(units, spec)
        return checklists


def _checklist(
    units: dict[str, UnitPage],
    areas: dict[str, ResponsibilityArea],
    pages: dict[str, int],
    spec: Data,
) -> ChecklistPage:
    owner = units[spec["owner"]]
    slugs = {language: slugify(title) for language, title in spec["title"].items()}
    page = child_find(ChecklistPage, owner, slugs["nb"])
    created = page is None
    if page is None:
        page = ChecklistPage(title=spec["title"]["nb"], slug=slugs["nb"])
    set_translated(page, "title", spec["title"])
    set_translated(page, "intro", spec["intro"])
    set_translated(page, "slug", slugs)
    page.statuses = list(spec["statuses"])
    existing = {} if created else {item.title_en: item for item in page.items.all()}
    items = []
    for index, item_spec in enumerate(spec["item"]):
        item = existing.get(item_spec["title"]["en"]) or ChecklistItem()
        set_translated(item, "title", item_spec["title"])
        set_translated(item, "description", item_spec["description"])
        item.due_kind = DueKind(item_spec.get("kind", DueKind.ARRIVAL))
        item.due_offset_days = item_spec.get("due", 0)
        item.working_days = item_spec.get("working_days", False)
        item.due_on = (
            plan_today() + datetime.timedelta(days=item_spec["fixed_in_days"])
            if item.due_kind == DueKind.FIXED
            else None
        )
        item.required = item_spec["required"]
        item.target_region = Region(item_spec.get("region", Region.ANY))
        item.target_statuses = list(item_spec.get("only_statuses", []))
        item.target_countries = list(item_spec.get("countries", []))  # type: ignore[assignment]
        item.target_programme = item_spec.get("programme", "")
        item.asks_document = item_spec.get("document", False)
        item.needs_verification = item_spec.get("verified", False)
        item.sort_order = index
        item.area = areas.get(item_spec["area"])
        responsible = item_spec.get("responsible")
        item.responsible_unit = units.get(responsible) if responsible else None
        link = item_spec.get("link", "")
        item.link_page_id = (
            pages.get(link.removeprefix("page:")) if link.startswith("page:") else None
        )
        item.link_url = link if link.startswith("http") else ""
        items.append(item)
    page.items.set(items)
    if created:
        owner.add_child(instance=page)
    page.save_revision().publish()
    return page


def _semesters() -> None:
    """Last year's to next year's semesters, starting on the Monday of the configured weeks."""
    weeks = DATA["semester_weeks"]
    year = plan_today().year
    for each_year in range(year - 1, year + 2):
        for term, week in weeks.items():
            AcademicSemester.objects.update_or_create(
                year=each_year,
                term=term,
                defaults={"starts_on": datetime.date.fromisocalendar(each_year, week, 1)},
            )


def _coordinator(units: dict[str, UnitPage]) -> None:
    """The demo faculty coordinator edits their faculty (the units' seed usually did this)."""
    email, key = DATA["coordinator"]["email"], DATA["coordinator"]["unit"]
    user = get_user_model().objects.filter(email=email).first()
    if user is not None and key in units:
        unit_editor_add(unit=units[key], user=user)


def _student(units: dict[str, UnitPage], spec: Data) -> None:
    email = spec["email"]
    user, created = get_user_model().objects.get_or_create(email=email)
    if created or not user.has_usable_password():
        user.password = demo_password_hash()
    user.first_name, user.last_name = spec["first_name"], spec["last_name"]
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    today = plan_today()
    arrival = today - datetime.timedelta(days=spec["arrived"]) if "arrived" in spec else None
    profile_save(
        user=user,
        status=spec["status"],
        faculty=units.get(spec["faculty"]),
        department=units.get(spec["department"]),
        home_country=spec["home_country"],
        home_institution=spec.get("home_institution", ""),
        programme=spec["programme"],
        arrival_date=arrival,
        departure_date=arrival + datetime.timedelta(days=140) if arrival else None,
        norwegian_level=spec["level"],
        interests=spec["interests"],
        contact_consent=True,
        language=spec["language"],
    )
    if "undone" not in spec or arrival is None:
        return
    undone = set(spec["undone"])
    waiting = set(spec.get("uploads", []))
    plan = plan_get(user=user)
    assert plan is not None, "the profile made above gives a plan"
    for entry in plan.items:
        title = entry.item.title_en
        due = entry.due_date
        if due is None or due > today or (title in undone and title not in waiting):
            continue
        done_at = timezone.make_aware(datetime.datetime.combine(due, datetime.time(11, 0)))
        if entry.item.asks_document:
            _document(user, entry.item, done_at, verify=title not in waiting)
        elif title not in undone:
            progress_tick(student=user, item=entry.item, now=done_at)


# A one-page PDF, the demo's stand-in for a student's scanned letter.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _document(user: User, item: ChecklistItem, when: datetime.datetime, *, verify: bool) -> None:
    """The student's document on ``item``, verified by the demo coordinator unless waiting."""
    if ItemSubmission.objects.filter(student=user, item=item).exists():
        return
    name = f"{slugify(item.title_en)}.pdf"
    submission = document_upload(
        student=user,
        item=item,
        upload=SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf"),
        now=when,
    )
    coordinator = get_user_model().objects.filter(email=DATA["coordinator"]["email"]).first()
    if verify and coordinator is not None:
        document_review(
            coordinator=coordinator, submission=submission, verified=True, now=when, email=False
        )
