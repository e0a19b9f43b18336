"""Who edits agreements and moderates reports: the owner unit's editors and the International Section."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from onboarding.exchange import services
from onboarding.exchange.errors import ExchangeError
from onboarding.exchange.models import Agreement, ExperienceReport, ReportStatus
from onboarding.exchange.permissions import OwnerUnitPermissionPolicy
from onboarding.exchange.selectors import published_reports, reports_to_moderate
from tests.onboarding.exchange.factories import agreement_create, programme_create, report_create
from tests.onboarding.units.factories import mfa_enable

AGREEMENTS = "wagtailsnippets_exchange_agreement"


def _denied(response):
    """Wagtail's admin answers a refusal with 403 or a redirect with a permission message."""
    return response.status_code == 403 or (
        response.status_code == 302
        and any("permission" in str(m) for m in get_messages(response.wsgi_request))
    )


@pytest.fixture
def agreements(tree):
    return {
        "it": agreement_create(institution=tree["tum"], owner_unit=tree["it"], reference="IT-1"),
        "cs": agreement_create(institution=tree["kth"], owner_unit=tree["cs"], reference="CS-1"),
        "health": agreement_create(
            institution=tree["ku"], owner_unit=tree["health"], subjects=["0913"], reference="HE-1"
        ),
    }


def _save(user, agreement, **values):
    return services.agreement_save(
        user=user,
        reference=agreement.reference,
        institution=agreement.institution,
        owner_unit=agreement.owner_unit,
        subject_codes=["0613"],
        languages=[("en", "B2")],
        values=values,
    )


def test_unit_editors_edit_their_units_agreements_and_those_below(tree, agreements):
    editor = tree["it_editor"]
    saved, changed = _save(editor, agreements["it"], places_out=7)
    assert changed and saved.places_out == 7
    # The department belongs to the faculty the editor edits.
    assert _save(editor, agreements["cs"], places_out=3)[1]


def test_other_units_editors_and_students_are_refused(tree, agreements):
    for user in (tree["health_editor"], tree["student"]):
        with pytest.raises(ExchangeError) as refused:
            _save(user, agreements["it"], places_out=9)
        assert refused.value.code == "forbidden"
    assert Agreement.objects.get(pk=agreements["it"].pk).places_out != 9


def test_staff_edit_every_agreement(tree, agreements):
    assert _save(tree["staff"], agreements["health"], places_out=5)[0].places_out == 5


def test_an_editor_cannot_move_an_agreement_to_a_unit_they_do_not_edit(tree, agreements):
    with pytest.raises(ExchangeError) as refused:
        services.agreement_save(
            user=tree["it_editor"],
            reference="IT-1",
            institution=tree["tum"],
            owner_unit=tree["health"],
            subject_codes=["0613"],
            languages=[("en", "B2")],
            values={},
        )
    assert refused.value.code == "forbidden"


def test_admin_policy_follows_the_owner_unit(tree, agreements):
    policy = OwnerUnitPermissionPolicy(Agreement)
    editor = tree["it_editor"]
    assert policy.user_has_permission_for_instance(editor, "change", agreements["cs"])
    assert not policy.user_has_permission_for_instance(editor, "change", agreements["health"])
    assert set(policy.instances_user_has_any_permission_for(editor, ["change"])) == {
        agreements["it"],
        agreements["cs"],
    }
    assert policy.instances_user_has_any_permission_for(tree["staff"], ["change"]).count() == 3
    assert not policy.user_has_permission(tree["student"], "change")


def test_admin_edit_view_follows_the_owner_unit(client, tree, agreements):
    editor = mfa_enable(tree["health_editor"])
    client.force_login(editor)
    assert (
        client.get(reverse(f"{AGREEMENTS}:edit", args=[agreements["health"].pk])).status_code == 200
    )
    assert _denied(client.get(reverse(f"{AGREEMENTS}:edit", args=[agreements["it"].pk])))


def test_confirm_is_for_editors(tree, agreements):
    old = timezone.now() - datetime.timedelta(days=500)
    Agreement.objects.filter(pk=agreements["it"].pk).update(last_confirmed=old)
    with pytest.raises(ExchangeError):
        services.agreement_confirm(user=tree["health_editor"], agreement=agreements["it"])
    services.agreement_confirm(user=tree["it_editor"], agreement=agreements["it"])
    assert not Agreement.objects.get(pk=agreements["it"].pk).is_stale()


def test_staff_report_views(client, tree, agreements):
    Agreement.objects.filter(pk=agreements["health"].pk).update(
        last_confirmed=timezone.now() - datetime.timedelta(days=400)
    )
    staff = mfa_enable(tree["staff"])
    client.force_login(staff)
    programme_create(owner_unit=tree["it"], isced="0541", window=[3], code="MATH")
    report = client.get(reverse("exchange_admin:window_report")).content.decode()
    assert 'data-programme="MATH"' in report and 'data-reason="no_agreement_in_field"' in report
    stale = client.get(reverse("exchange_admin:stale_agreements")).content.decode()
    assert 'data-reference="HE-1"' in stale and 'data-reference="IT-1"' not in stale
    editor = mfa_enable(tree["it_editor"])
    client.force_login(editor)
    assert _denied(client.get(reverse("exchange_admin:window_report")))
    # Editors see their own units' agreements to confirm, not others'.
    assert (
        'data-reference="HE-1"'
        not in client.get(reverse("exchange_admin:stale_agreements")).content.decode()
    )
    assert _denied(client.post(reverse("exchange_admin:confirm", args=[agreements["health"].pk])))


# --- Experience reports ------------------------------------------------------------------------


def _report(user, agreement, **changes):
    values = {
        "language": "en",
        "year": timezone.localdate().year,
        "season": "spring",
        "title": "Lovely",
        "text": "It was great.",
        "ratings": {
            "rating_academic": 4,
            "rating_housing": 4,
            "rating_support": 4,
            "rating_social": 4,
        },
    }
    values.update(changes)
    return services.report_create(user=user, agreement=agreement, **values)


def test_a_new_report_waits_and_students_see_only_published_ones(tree, agreements):
    report = _report(tree["student"], agreements["it"])
    assert report.status == ReportStatus.PENDING
    assert list(published_reports(institution=tree["tum"])) == []
    services.report_moderate(user=tree["it_editor"], report=report, publish=True)
    assert list(published_reports(institution=tree["tum"])) == [report]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"language": "de"}, "language"),
        ({"title": " "}, "empty"),
        ({"year": timezone.localdate().year + 1}, "year"),
        ({"ratings": {"rating_academic": 6}}, "rating"),
    ],
)
def test_bad_reports_are_refused(tree, agreements, changes, code):
    with pytest.raises(ExchangeError) as refused:
        _report(tree["student"], agreements["it"], **changes)
    assert refused.value.code == code
    assert not ExperienceReport.objects.exists()


def test_only_the_owner_unit_moderates(tree, agreements):
    report = report_create(agreement=agreements["health"], status=ReportStatus.PENDING)
    assert list(reports_to_moderate(user=tree["it_editor"])) == []
    assert list(reports_to_moderate(user=tree["health_editor"])) == [report]
    assert list(reports_to_moderate(user=tree["staff"])) == [report]
    with pytest.raises(ExchangeError) as refused:
        services.report_moderate(user=tree["it_editor"], report=report, publish=True)
    assert refused.value.code == "forbidden"
    with pytest.raises(ExchangeError) as refused:
        services.report_moderate(user=tree["health_editor"], report=report, publish=False)
    assert refused.value.code == "note_required"
    services.report_moderate(
        user=tree["health_editor"], report=report, publish=False, note="Names a fellow student."
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED and report.moderated_by == tree["health_editor"]


def test_moderation_view(client, tree, agreements):
    report = report_create(
        agreement=agreements["health"], status=ReportStatus.PENDING, title="Wait"
    )
    editor = mfa_enable(tree["health_editor"])
    client.force_login(editor)
    page = client.get(reverse("exchange_admin:moderation")).content.decode()
    assert f'data-report="{report.pk}"' in page
    response = client.post(
        reverse("exchange_admin:moderation"),
        {"report": report.pk, f"r{report.pk}-decision": "publish", f"r{report.pk}-note": ""},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    other = mfa_enable(tree["it_editor"])
    client.force_login(other)
    pending = report_create(agreement=agreements["health"], status=ReportStatus.PENDING)
    response = client.post(
        reverse("exchange_admin:moderation"),
        {"report": pending.pk, f"r{pending.pk}-decision": "publish"},
    )
    assert _denied(response)
    pending.refresh_from_db()
    assert pending.status == ReportStatus.PENDING


def test_admin_forms_offer_an_editor_only_their_units(client, tree, agreements):
    editor = mfa_enable(tree["it_editor"])
    client.force_login(editor)
    response = client.get(reverse(f"{AGREEMENTS}:add"))
    assert response.status_code == 200
    units = response.context["form"].fields["owner_unit"].queryset
    assert set(units) == {tree["it"], tree["cs"]}
    listing = client.get(reverse(f"{AGREEMENTS}:list")).content.decode()
    assert "IT-1" in listing and "HE-1" not in listing
    staff = mfa_enable(tree["staff"])
    client.force_login(staff)
    assert client.get(reverse("wagtailsnippets_exchange_programme:add")).status_code == 200
    assert "HE-1" in client.get(reverse(f"{AGREEMENTS}:list")).content.decode()


def test_saving_in_the_admin_confirms_the_agreement(rf, tree, agreements):
    from onboarding.exchange.wagtail_hooks import confirm_on_edit

    old = timezone.now() - datetime.timedelta(days=500)
    Agreement.objects.filter(pk=agreements["cs"].pk).update(last_confirmed=old)
    request = rf.post("/admin/")
    request.user = tree["it_editor"]
    confirm_on_edit(request, Agreement.objects.get(pk=agreements["cs"].pk))
    assert not Agreement.objects.get(pk=agreements["cs"].pk).is_stale()
