"""The demo's stays abroad: programme courses, 60 stays and more, what the crisis and early-return
parts of the demo rely on, and a second seed that changes nothing."""

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from onboarding.exchange.models import Programme, StudentProgramme
from onboarding.stays.demo_registry import demo_data, seed_stays, student_email
from onboarding.stays.models import PlanBCourse, ProgrammeCourse, StayAbroad
from onboarding.stays.selectors.registry import stay_semester

pytestmark = pytest.mark.django_db

SOFIE = "sofie.haugen@velkommen.test"
EMMA = "emma.larsen@velkommen.test"


@pytest.fixture
def demo(demo_site, db):
    """The module's copy of the seeded demo."""


def _now_in(city, country):
    today = timezone.localdate()
    return StayAbroad.objects.filter(
        city=city, country=country, starts_on__lte=today, ends_on__gte=today
    )


def test_every_demo_programme_has_4_to_6_courses_a_semester_in_both_languages(demo):
    for programme in Programme.objects.all():
        counts = dict(
            ProgrammeCourse.objects.filter(programme=programme)
            .order_by()
            .values_list("semester")
            .annotate(count=Count("pk"))
        )
        assert set(counts) == set(range(1, programme.semesters + 1)), programme.code
        assert all(4 <= count <= 6 for count in counts.values()), programme.code
    assert not ProgrammeCourse.objects.filter(title_nb="").exists()
    assert not ProgrammeCourse.objects.filter(title_en="").exists()


def test_sixty_stays_and_more_across_the_partners_and_dates(demo):
    stays = StayAbroad.objects.all()
    today = timezone.localdate()
    assert stays.count() >= 60
    assert (
        stays.filter(agreement__isnull=False).values("agreement__institution").distinct().count()
        >= 20
    )
    assert stays.filter(agreement__isnull=True).exclude(host_name="").exists()
    assert stays.filter(starts_on__gt=today).exists()
    assert stays.filter(ends_on__lt=today, erased_at__isnull=True).exists()
    assert not stays.filter(student__email=SOFIE).exists()
    generated = [student_email(spec) for spec in demo_data()["people"]["extra_students"]]
    assert stays.filter(student__email__in=generated).values("student").distinct().count() >= 40
    languages = set(stays.values_list("student__language", flat=True))
    assert languages == {"nb", "en"}


def test_fourteen_students_and_more_are_in_valencia_today(demo):
    valencia = _now_in("Valencia", "ES")
    assert valencia.values("student").distinct().count() >= 14
    assert valencia.filter(agreement__institution__schac_code="upv.es").exists()
    assert StudentProgramme.objects.filter(user__stays_abroad__in=valencia).exists()
    assert not valencia.filter(local_phone="").exists()


def test_ten_stays_in_japan_last_autumn_are_erased(demo):
    japan = StayAbroad.objects.filter(
        country="JP", starts_on=datetime.date(2025, 8, 15), ends_on=datetime.date(2025, 12, 20)
    )
    assert japan.count() >= 10
    assert set(japan.values_list("city", flat=True)) == {"Tokyo", "Kyoto"}
    for stay in japan:
        assert stay.erased_at is not None
        assert all(getattr(stay, name) == "" for name in StayAbroad.PERSONAL_FIELDS)


def test_emma_is_in_valencia_with_plan_b_courses_of_her_programme(demo):
    stay = _now_in("Valencia", "ES").get(student__email=EMMA)
    mine = StudentProgramme.objects.select_related("programme").get(user=stay.student)
    semester = stay_semester(mine=mine, starts_on=stay.starts_on)
    courses = list(stay.plan_b_courses.select_related("course"))
    assert len(courses) >= 2
    assert all(
        c.course.programme == mine.programme and c.course.semester == semester for c in courses
    )


def test_stays_end_today_and_start_tomorrow(demo):
    today = timezone.localdate()
    assert StayAbroad.objects.filter(ends_on=today).count() >= 2
    assert StayAbroad.objects.filter(starts_on=today + datetime.timedelta(days=1)).count() >= 2


def test_seeding_again_changes_nothing(demo):
    def state():
        return (
            list(StayAbroad.objects.order_by("pk").values()),
            list(PlanBCourse.objects.order_by("pk").values()),
            list(ProgrammeCourse.objects.order_by("pk").values()),
            list(StudentProgramme.objects.order_by("pk").values()),
        )

    before = state()
    seed_stays()
    assert state() == before
