"""Who may do what with unit pages in the admin: editors only on their own branch.

The editor of unit A is refused on unit B for every page action; anonymous
people and students get no admin at all. Wagtail answers a refused page
action with 403, or (outside AJAX) by sending the person to the admin home
with its "Sorry, you do not have permission" message: both count as refused,
and each test also checks that nothing changed.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from onboarding.units.models import UnitPage
from onboarding.units.services import international_staff_add, unit_editor_add
from tests.factories import StaffFactory, UserFactory
from tests.onboarding.units.factories import mfa_enable

pytestmark = pytest.mark.django_db

PERMISSION_DENIED = "Sorry, you do not have permission to access this area."


def refused(response):
    """Whether the admin refused the request (403, 404, or Wagtail's permission-denied redirect)."""
    if response.status_code in (403, 404):
        return True
    return (
        response.status_code == 302
        and response["Location"] == reverse("wagtailadmin_home")
        and any(PERMISSION_DENIED in str(m) for m in get_messages(response.wsgi_request))
    )


@pytest.fixture
def editor_a(tree):
    """An editor of faculty A (and so of its branch), with two-factor authentication."""
    editor = mfa_enable(StaffFactory())
    unit_editor_add(unit=tree["faculty_a"], user=editor)
    return editor


@pytest.fixture
def editor_client(client, editor_a):
    client.force_login(editor_a)
    return client


def _b(tree):
    return UnitPage.objects.get(pk=tree["faculty_b"].pk)


def _edit_post_data(page):
    return {
        "title_nb": page.title_nb,
        "title_en": page.title_en,
        "slug_nb": page.slug_nb,
        "slug_en": page.slug_en,
        "kind": page.kind,
        "intro_nb": "Endret",
        "intro_en": "Changed",
        "how_to_join_nb": page.how_to_join_nb,
        "how_to_join_en": page.how_to_join_en,
        "social_links-count": "0",
        "action-publish": "action-publish",
    }


def test_editor_opens_the_editor_of_their_own_unit(editor_client, tree):
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[tree["department_a"].pk]))
    assert response.status_code == 200


def test_editor_is_refused_the_editor_of_another_unit(editor_client, tree):
    response = editor_client.get(reverse("wagtailadmin_pages:edit", args=[tree["faculty_b"].pk]))
    assert refused(response)


def test_editor_cannot_publish_another_unit(editor_client, tree):
    unit = _b(tree)
    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[unit.pk]), _edit_post_data(unit)
    )
    assert refused(response)
    assert _b(tree).intro_en == unit.intro_en
    assert _b(tree).latest_revision_id == unit.latest_revision_id


def test_editor_cannot_add_a_child_to_another_unit(editor_client, tree):
    unit = _b(tree)
    for url in (
        reverse("wagtailadmin_pages:add_subpage", args=[unit.pk]),
        reverse("wagtailadmin_pages:add", args=["units", "unitpage", unit.pk]),
    ):
        assert refused(editor_client.get(url)), url
    response = editor_client.post(
        reverse("wagtailadmin_pages:add", args=["units", "unitpage", unit.pk]),
        {
            **_edit_post_data(unit),
            "title_nb": "Nytt institutt",
            "slug_nb": "nytt",
            "kind": "department",
        },
    )
    assert refused(response)
    assert UnitPage.objects.child_of(unit).filter(slug_nb="nytt").count() == 0


def test_editor_cannot_unpublish_another_unit(editor_client, tree):
    url = reverse("wagtailadmin_pages:unpublish", args=[tree["faculty_b"].pk])
    assert refused(editor_client.get(url))
    assert refused(editor_client.post(url))
    assert _b(tree).live


def test_editor_cannot_delete_another_unit(editor_client, tree):
    url = reverse("wagtailadmin_pages:delete", args=[tree["department_b"].pk])
    assert refused(editor_client.get(url))
    assert refused(editor_client.post(url))
    assert UnitPage.objects.filter(pk=tree["department_b"].pk).exists()


def test_editor_cannot_move_another_unit(editor_client, tree):
    department = tree["department_b"]
    assert refused(editor_client.get(reverse("wagtailadmin_pages:move", args=[department.pk])))
    confirm = reverse("wagtailadmin_pages:move_confirm", args=[department.pk, tree["faculty_a"].pk])
    assert refused(editor_client.post(confirm))
    assert UnitPage.objects.get(pk=department.pk).get_parent().pk == tree["faculty_b"].pk


def test_editor_cannot_copy_another_unit(editor_client, tree):
    url = reverse("wagtailadmin_pages:copy", args=[tree["department_b"].pk])
    count = UnitPage.objects.count()
    assert refused(editor_client.get(url))
    response = editor_client.post(
        url,
        {
            "new_title_nb": "Kopi",
            "new_slug_nb": "kopi",
            "new_parent_page": tree["faculty_b"].pk,
        },
    )
    assert refused(response)
    assert UnitPage.objects.count() == count


def test_editor_cannot_see_the_revisions_of_another_unit(editor_client, tree):
    unit = _b(tree)
    revision = unit.latest_revision
    for url in (
        reverse("wagtailadmin_pages:history", args=[unit.pk]),
        reverse("wagtailadmin_pages:revisions_view", args=[unit.pk, revision.pk]),
        reverse("wagtailadmin_pages:revisions_revert", args=[unit.pk, revision.pk]),
        reverse("wagtailadmin_pages:revisions_compare", args=[unit.pk, "earliest", "latest"]),
    ):
        assert refused(editor_client.get(url)), url


def test_editor_cannot_lock_another_unit(editor_client, tree):
    url = reverse("wagtailadmin_pages:lock", args=[tree["faculty_b"].pk])
    assert refused(editor_client.post(url))
    assert not _b(tree).locked


def test_editor_sees_only_their_own_units_in_the_explorer(client, tree):
    editor = mfa_enable(StaffFactory())
    unit_editor_add(unit=tree["choir"], user=editor)
    unit_editor_add(unit=tree["line_a"], user=editor)
    client.force_login(editor)

    directory = client.get(reverse("wagtailadmin_explore", args=[tree["directory"].pk]))
    volunteers = client.get(reverse("wagtailadmin_explore", args=[tree["volunteer_index"].pk]))
    html = directory.content.decode() + volunteers.content.decode()

    assert directory.status_code == volunteers.status_code == 200
    for own in ("choir", "volunteer_index", "faculty_a"):
        assert f"/admin/pages/{tree[own].pk}/" in html, own
    for other in ("buddies", "faculty_b", "section", "parliament"):
        assert f"/admin/pages/{tree[other].pk}/" not in html, other


def test_international_staff_open_any_unit(client, tree):
    staff = mfa_enable(StaffFactory())
    international_staff_add(user=staff)
    client.force_login(staff)
    for key in ("faculty_b", "buddies", "section"):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[tree[key].pk]))
        assert response.status_code == 200, key


def test_anonymous_person_gets_no_admin(client, tree):
    for url in ("/admin/", reverse("wagtailadmin_pages:edit", args=[tree["faculty_b"].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/" not in response["Location"].split("?")[0]


def test_student_gets_no_admin(client, tree):
    client.force_login(UserFactory())
    for url in ("/admin/", reverse("wagtailadmin_pages:edit", args=[tree["faculty_b"].pk])):
        response = client.get(url)
        # Sent to the home page of the request's language: Norwegian, the default, as it asks
        # for none; the message stays until a page shows it, so the second request has two.
        assert response.status_code == 302, url
        assert response["Location"] == "/nb/", url
        messages = {str(m) for m in get_messages(response.wsgi_request)}
        assert messages == {"Kontoen din gir ikke tilgang til administrasjonen."}, url


def _new_unit_data(kind, slug):
    return {
        "title_nb": "Institutt for geologi",
        "title_en": "Department of Geology",
        "slug_nb": slug,
        "slug_en": f"{slug}-en",
        "kind": kind,
        "intro_nb": "Om geologi.",
        "intro_en": "About geology.",
        "how_to_join_nb": "Ta kontakt.",
        "how_to_join_en": "Get in touch.",
        "social_links-count": "0",
        "action-publish": "action-publish",
    }


def test_editor_adds_and_publishes_a_department_in_their_faculty(editor_client, tree):
    url = reverse("wagtailadmin_pages:add", args=["units", "unitpage", tree["faculty_a"].pk])
    response = editor_client.post(url, _new_unit_data("department", "geologi"))
    assert response.status_code == 302
    unit = UnitPage.objects.child_of(tree["faculty_a"]).get(slug_nb="geologi")
    assert unit.live
    assert unit.permissions_for_user(response.wsgi_request.user).can_edit()


def test_admin_refuses_a_kind_that_does_not_fit_the_parent(editor_client, tree):
    url = reverse("wagtailadmin_pages:add", args=["units", "unitpage", tree["faculty_a"].pk])
    response = editor_client.post(url, _new_unit_data("volunteer_group", "geologi"))
    assert response.status_code == 200
    assert not UnitPage.objects.filter(slug_nb="geologi").exists()
    assert response.context["form"].errors["kind"]
