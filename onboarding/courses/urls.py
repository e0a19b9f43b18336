"""Norwegian courses, mounted under the translated "norwegian-courses/" path (/nb/norskkurs/...).

The catalogue (/nb/norskkurs/, /en/norwegian-courses/) and the course pages
are Wagtail pages; these are the placement, applying and cancelling, the
places a page re-reads, the participants list, cancelling a course and the coverage report.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _

import onboarding.http  # noqa: F401  (registers the <id:...> path converter)

from . import views

app_name = "courses"

urlpatterns = [
    path(_("placement/"), views.placement, name="placement"),
    path(_("placement/result/"), views.placement_result, name="placement_result"),
    path(_("coverage/"), views.coverage, name="coverage"),
    path(_("coverage/offered-nothing.csv"), views.coverage_csv, name="coverage_csv"),
    path("<id:course_id>/places.json", views.places, name="places"),
    path(_("<id:course_id>/apply/"), views.enrol, name="enrol"),
    path(_("<id:course_id>/cancel/"), views.cancel, name="cancel"),
    path(_("<id:course_id>/swap/"), views.swap, name="swap"),
    path(_("<id:course_id>/round/"), views.round_apply, name="round_apply"),
    path(_("<id:course_id>/round/allocate/"), views.round_allocate, name="round_allocate"),
    path(_("<id:course_id>/participants/"), views.participants, name="participants"),
    path(_("<id:course_id>/cancel-course/"), views.cancel_course, name="cancel_course"),
]
