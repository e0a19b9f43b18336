"""Small builders of unit pages for tests (units, responsibilities and browser tests)."""

import itertools

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from django.utils.text import slugify

from onboarding.units.kinds import UnitKind
from onboarding.units.models import UnitDirectoryPage, UnitPage, VolunteerGroupIndexPage

_numbers = itertools.count(1)
TOTP_SECRET = "JBSWY3DPEHPK3PXPTESTSECRET23456"


def _translated(page, field, nb, en):
    setattr(page, f"{field}_nb", nb)
    setattr(page, f"{field}_en", en)


def directory_create(home, *, publish=True):
    """The unit directory under ``home``, at /nb/enheter/ and /en/units/."""
    page = UnitDirectoryPage(title="Enheter", slug="enheter")
    _translated(page, "title", "Enheter", "Units")
    _translated(page, "slug", "enheter", "units")
    _translated(page, "intro", "Finn enheter.", "Find units.")
    page.show_in_menus = True
    home.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def volunteer_index_create(directory, *, publish=True):
    page = VolunteerGroupIndexPage(title="Studentfrivilligheten", slug="studentfrivilligheten")
    _translated(page, "title", "Studentfrivilligheten", "Student volunteer groups")
    _translated(page, "slug", "studentfrivilligheten", "volunteer-groups")
    _translated(page, "intro", "Frivillige grupper.", "Volunteer groups.")
    directory.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def unit_create(parent, *, kind, name_nb=None, name_en=None, publish=True, **fields):
    """A unit of ``kind`` under ``parent``, filled in both languages.

    With ``publish`` it goes through a revision and ``page_published`` (which
    makes its editors' group); without, it is saved live directly (fast, for
    lists of many units).
    """
    number = next(_numbers)
    name_nb = name_nb or f"Enhet {number}"
    name_en = name_en or f"Unit {number}"
    page = UnitPage(title=name_nb, slug=slugify(name_nb), kind=kind)
    _translated(page, "title", name_nb, name_en)
    _translated(page, "slug", slugify(name_nb), slugify(name_en))
    _translated(page, "intro", f"Om {name_nb}.", f"About {name_en}.")
    _translated(page, "how_to_join", "Kom på et møte.", "Come to a meeting.")
    page.meeting_language = fields.pop("meeting_language", "nb_en")
    for name, value in fields.items():
        setattr(page, name, value)
    if not publish:
        page.live = True
        page.first_published_at = page.first_published_at or timezone.now()
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
        page.refresh_from_db()
    return page


def buddy_programme_create(home):
    """A volunteer group, the Buddy Programme, in a directory of its own, created without publishing."""
    directory = directory_create(home, publish=False)
    index = volunteer_index_create(directory, publish=False)
    return unit_create(
        index,
        kind=UnitKind.VOLUNTEER_GROUP,
        name_nb="Fadderordningen",
        name_en="Buddy Programme",
        publish=False,
    )


def unit_tree(home, *, publish=True):
    """A small chart: directory, International Section with language centre, two faculties
    with a department, a student council and a line association each, the student parliament,
    the volunteer groups index with two groups.

    Without ``publish`` the pages are saved live directly (see ``unit_create``):
    much faster, and editors' groups are made when a test adds an editor."""
    directory = directory_create(home, publish=publish)
    section = unit_create(
        directory,
        kind=UnitKind.INTERNATIONAL_SECTION,
        publish=publish,
        name_nb="Internasjonal seksjon",
        name_en="International Section",
    )
    tree = {"directory": directory, "section": section}
    tree["language_centre"] = unit_create(
        section,
        kind=UnitKind.LANGUAGE_CENTRE,
        publish=publish,
        name_nb="Språksenteret",
        name_en="Language Centre",
    )
    tree["faculty_a"] = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        publish=publish,
        name_nb="Fakultet for naturvitenskap",
        name_en="Faculty of Natural Sciences",
        short_name_nb="NV",
        short_name_en="NV",
    )
    tree["faculty_b"] = unit_create(
        directory,
        kind=UnitKind.FACULTY,
        publish=publish,
        name_nb="Det humanistiske fakultet",
        name_en="Faculty of Humanities",
        short_name_nb="HF",
        short_name_en="HF",
    )
    tree["department_a"] = unit_create(
        tree["faculty_a"],
        kind=UnitKind.DEPARTMENT,
        publish=publish,
        name_nb="Institutt for fysikk",
        name_en="Department of Physics",
    )
    tree["department_b"] = unit_create(
        tree["faculty_b"],
        kind=UnitKind.DEPARTMENT,
        publish=publish,
        name_nb="Institutt for språk",
        name_en="Department of Language",
    )
    tree["council_a"] = unit_create(
        tree["faculty_a"],
        kind=UnitKind.STUDENT_COUNCIL,
        publish=publish,
        name_nb="Studentrådet NV",
        name_en="Student Council NV",
    )
    tree["line_a"] = unit_create(
        tree["department_a"],
        kind=UnitKind.LINE_ASSOCIATION,
        publish=publish,
        name_nb="Gradient",
        name_en="Gradient",
    )
    tree["parliament"] = unit_create(
        directory,
        kind=UnitKind.STUDENT_PARLIAMENT,
        publish=publish,
        name_nb="Studenttinget",
        name_en="The Student Parliament",
    )
    tree["volunteer_index"] = volunteer_index_create(directory, publish=publish)
    tree["buddies"] = unit_create(
        tree["volunteer_index"],
        kind=UnitKind.VOLUNTEER_GROUP,
        publish=publish,
        name_nb="Fadderordningen",
        name_en="Buddy Programme",
    )
    tree["choir"] = unit_create(
        tree["volunteer_index"],
        kind=UnitKind.VOLUNTEER_GROUP,
        publish=publish,
        name_nb="Studentkoret",
        name_en="Student Choir",
    )
    return tree


def mfa_enable(user):
    """Give ``user`` an authenticator: the admin requires two-factor authentication."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, TOTP_SECRET)
    return user
