"""Builders of checklists, profiles and students for the arrival journey's tests."""

import datetime
import itertools

from django.utils.text import slugify

from onboarding.accounts.models import StudentStatus
from onboarding.accounts.profile_services import profile_save
from onboarding.checklists.models import ChecklistItem, ChecklistPage
from tests.factories import UserFactory

_numbers = itertools.count(1)
ARRIVING = [
    StudentStatus.INCOMING_EXCHANGE,
    StudentStatus.INTERNATIONAL_DEGREE,
    StudentStatus.PHD,
]


# Item fields an ``item_spec`` may set as they are.
ITEM_EXTRA_FIELDS = (
    "due_kind",
    "due_on",
    "working_days",
    "target_statuses",
    "target_region",
    "target_countries",
    "target_programme",
    "asks_document",
    "needs_verification",
)


def item_spec(title, offset=0, **fields):
    """An item for ``checklist_create``: a title (both languages made from it) and its offset."""
    return {"title": title, "offset": offset, **fields}


def _item(spec, index):
    title = spec["title"]
    title_nb, title_en = title if isinstance(title, tuple) else (f"{title} (nb)", title)
    description = spec.get("description", ("", ""))
    return ChecklistItem(
        title_nb=title_nb,
        title_en=title_en,
        description_nb=description[0],
        description_en=description[1],
        due_offset_days=spec["offset"],
        required=spec.get("required", True),
        responsible_unit=spec.get("responsible_unit"),
        area=spec.get("area"),
        link_url=spec.get("link_url", ""),
        link_page=spec.get("link_page"),
        sort_order=index,
        **{name: spec[name] for name in ITEM_EXTRA_FIELDS if name in spec},
    )


def checklist_create(owner, *, title=None, statuses=None, items=(), publish=True):
    """A checklist under ``owner`` with ``items`` (see ``item_spec``), published through a revision."""
    number = next(_numbers)
    title_nb, title_en = title or (f"Sjekkliste {number}", f"Checklist {number}")
    page = ChecklistPage(
        title=title_nb,
        slug=slugify(title_nb),
        statuses=[str(s) for s in (statuses or ARRIVING)],
    )
    page.title_nb, page.title_en = title_nb, title_en
    page.slug_nb, page.slug_en = slugify(title_nb), slugify(title_en)
    page.intro_nb, page.intro_en = f"Om {title_nb}.", f"About {title_en}."
    page.items = [_item(spec, index) for index, spec in enumerate(items)]
    page.live = publish
    owner.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return ChecklistPage.objects.get(pk=page.pk)


def student_create(
    *,
    faculty=None,
    department=None,
    status=StudentStatus.INCOMING_EXCHANGE,
    arrival=datetime.date(2026, 8, 10),
    language="en",
    **fields,
):
    """A user with a student profile (through ``profile_save``)."""
    user = UserFactory(language=language)
    profile_save(
        user=user,
        status=status,
        faculty=faculty,
        department=department,
        arrival_date=arrival,
        language=language,
        **fields,
    )
    return user
