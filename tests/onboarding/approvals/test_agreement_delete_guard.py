"""An exchange agreement with students' cases is kept: the admin says why instead of failing."""

import datetime

from django.urls import reverse

from onboarding.exchange.models import Agreement
from tests.onboarding.approvals.factories import case_make
from tests.onboarding.units.factories import mfa_enable


def test_an_agreement_with_a_case_is_not_deleted_and_the_admin_says_why(client, tree):
    agreement = tree["tum_agreement"]
    case_make(
        student=tree["student"],
        agreement=agreement,
        unit=tree["cs"],
        submitted_at=datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC),
    )
    client.force_login(mfa_enable(tree["staff"]))
    address = reverse("wagtailsnippets_exchange_agreement:delete", args=[agreement.pk])
    edit = reverse("wagtailsnippets_exchange_agreement:edit", args=[agreement.pk])

    for method in (client.get, client.post):
        response = method(address, HTTP_ACCEPT_LANGUAGE="en", follow=True)
        assert response.redirect_chain[0] == (edit, 302)
        assert "cannot be deleted" in response.content.decode()
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_an_agreement_without_cases_is_deleted_as_before(client, tree):
    agreement = tree["ku_agreement"]
    client.force_login(mfa_enable(tree["staff"]))
    response = client.post(
        reverse("wagtailsnippets_exchange_agreement:delete", args=[agreement.pk])
    )
    assert response.status_code == 302
    assert not Agreement.objects.filter(pk=agreement.pk).exists()
