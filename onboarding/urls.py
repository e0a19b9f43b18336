from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)
from cms import views as cms_views
from cms.admin_views import PageCreateView, copy_translation_content
from onboarding import health
from onboarding.bookings.admin_views import GuardedSetPrivacyView

urlpatterns = [
    # The liveness check and the benchmarks' bare view (onboarding/health.py).
    path("health/", health.live, name="health"),
    # Ahead of Wagtail's own view at the same address (see PageCreateView).
    path(
        "admin/pages/add/<slug:content_type_app_name>/<slug:content_type_model_name>/"
        "<id:parent_page_id>/",
        # Guarded and uncached as Wagtail's admin URLs are.
        never_cache(require_admin_access(PageCreateView.as_view())),
        name="page_create",
    ),
    # Ahead of wagtail-modeltranslation's CSRF-exempt view at the same address.
    path(
        "admin/pages/<id:page_id>/edit/copy_translation_content/",
        never_cache(require_admin_access(copy_translation_content)),
        name="copy_translation_content",
    ),
    # Ahead of Wagtail's privacy dialog: pages people hold places at are not hidden.
    path(
        "admin/pages/<id:page_id>/privacy/",
        never_cache(require_admin_access(GuardedSetPrivacyView.as_view())),
        name="page_set_privacy",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

urlpatterns += i18n_patterns(
    path(_("accounts/"), include("onboarding.accounts.urls")),
    path(_("search/"), cms_views.search, name="search"),
    path(_("notifications/"), include("onboarding.live.urls")),
    path("", include("onboarding.units.urls")),
    path(_("profile/"), include("onboarding.accounts.profile_urls")),
    path(_("arrival-plan/"), include("onboarding.checklists.urls")),
    path(_("events/"), include("onboarding.activities.urls")),
    # Placement, applying and the coverage report; the catalogue page itself is Wagtail's.
    path(_("norwegian-courses/"), include("onboarding.courses.urls")),
    # Earlier course decisions, pre-approval cases, learning agreements and response times.
    path(_("exchange/approvals/"), include("onboarding.approvals.urls")),
    # Stays abroad, safety checks in a crisis and requests to come home early.
    path(_("exchange/abroad/"), include("onboarding.stays.urls")),
    # The destination finder and partner pages; /nb/utveksling/ itself is Wagtail's Go abroad page.
    path(_("exchange/"), include("onboarding.exchange.urls")),
    path(_("buddies/"), include("onboarding.buddies.urls")),
    path(_("glossary/"), include("onboarding.glossary.urls")),
    # The elections calendar, standing in an election, meetings' calendar files.
    path(_("student-democracy/"), include("onboarding.democracy.urls")),
    path(_("privacy/"), include("onboarding.privacy.urls")),
    # Wagtail's page serving comes last: it matches every remaining path.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns

handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
