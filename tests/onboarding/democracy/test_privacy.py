"""Candidacies and representatives in the personal-data register: downloaded, erased, expired."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.democracy.models import Candidacy, Representative
from onboarding.democracy.services import candidacy_create
from onboarding.privacy.export import personal_data_copy, personal_data_json
from onboarding.privacy.register import personal_data_register
from onboarding.privacy.services import erasure_apply, retention_apply
from tests.onboarding.democracy.builders import election_make, representatives_make

pytestmark = pytest.mark.django_db


def _stand(tree, election):
    return candidacy_create(
        election=election,
        user=tree["student"],
        statement="Jeg vil jobbe for internasjonale studenter.",
        statement_language="nb",
        group="Fysikk",
        seat_type="ordinary",
    )


def test_both_models_are_in_the_register():
    keys = {entry.key for entry in personal_data_register()}
    assert {"democracy.candidacy", "democracy.representative"} <= keys


def test_the_download_holds_the_candidacy(tree):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    _stand(tree, election)
    content = personal_data_json(personal_data_copy(user=tree["student"]))
    assert "Jeg vil jobbe for internasjonale studenter." in content


def test_deleting_the_account_erases_candidacies_and_seats(tree):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    _stand(tree, election)
    page = representatives_make(tree["council_a"], [("Ana Silva", "Medlem", "Member")])
    Representative.objects.filter(page=page).update(user=tree["student"])
    erasure_apply(user=tree["student"])
    assert not Candidacy.objects.exists()
    assert not Representative.objects.exists()


def test_candidacies_go_a_year_after_voting_closes(tree):
    election = election_make(tree["council_a"], opens=timezone.now() - timedelta(days=1))
    _stand(tree, election)
    retention_apply(now=election.voting_closes_at + timedelta(days=364))
    assert Candidacy.objects.exists()
    retention_apply(now=election.voting_closes_at + timedelta(days=366))
    assert not Candidacy.objects.exists()
