"""The admin's Content-Security-Policy: Wagtail's inline scripts run there, never on the site."""

import pytest

from tests.onboarding.units.factories import mfa_enable

from .conftest import url

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response.headers["Content-Security-Policy"]
    parts = (directive.strip().partition(" ") for directive in policy.split(";"))
    return {name: values for name, _space, values in parts}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_only_the_admin_allows_inline_scripts(client, site_tree, admin_user, language):
    client.force_login(mfa_enable(admin_user))
    admin = client.get("/admin/")
    assert admin.status_code == 200
    policy = directives(admin)
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["object-src"] == "'none'"
    assert policy["form-action"] == "'self'"
    for path in (f"/{language}/", url("search", language), url("account_email", language)):
        response = client.get(path)
        assert response.status_code == 200, path
        assert directives(response)["script-src"] == "'self'", path


def test_admin_avatars_come_from_our_own_static_files(client, admin_user):
    client.force_login(mfa_enable(admin_user))
    html = client.get("/admin/").content.decode()
    assert "gravatar.com" not in html
    assert "wagtailadmin/images/default-user-avatar" in html
