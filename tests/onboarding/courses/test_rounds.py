"""Application rounds: ranked applications, priority rules, the lot's seed, bookings, results."""

import datetime

import pytest
from django.utils import timezone

from onboarding.accounts.models import StudentStatus
from onboarding.bookings.models import BookingStatus
from onboarding.courses import services
from onboarding.courses.errors import EnrolmentError
from onboarding.courses.models import Enrolment, RoundApplication, RoundOutcome
from onboarding.live.models import Notification
from tests.onboarding.courses.factories import course_create, student_create

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def round_courses(centre):
    """Two parallel A1 courses giving places by round: two places and one, X keeps a waitlist."""
    x = course_create(centre, level="A1", capacity=2, allocated_in_round=True)
    y = course_create(
        centre, level="A1", capacity=1, allocated_in_round=True, waitlist_enabled=False
    )
    return x, y


def after_deadline(course):
    return course.application_closes_at + HOUR


def apply(course, user, choices):
    return services.round_apply(course=course, user=user, choices=[c.pk for c in choices])


def test_a_round_course_refuses_first_come_enrolment(round_courses, student):
    x, _y = round_courses
    with pytest.raises(EnrolmentError) as caught:
        services.enrolment_create(course=x, user=student)
    assert caught.value.code == "round"


def test_applying_ranks_the_round_courses_and_can_be_changed(round_courses, student):
    x, y = round_courses
    apply(x, student, [x, y])
    application = apply(x, student, [y, x])
    assert application.choices == [y.pk, x.pk]
    assert RoundApplication.objects.count() == 1


def test_a_student_holding_a_place_at_the_level_cannot_apply(round_courses, centre, student):
    x, _y = round_courses
    first_come = course_create(centre, level="A1", capacity=5)
    services.enrolment_create(course=first_come, user=student)
    with pytest.raises(EnrolmentError) as caught:
        apply(x, student, [x])
    assert caught.value.code == "same_level_held"


def test_only_the_language_centre_allocates_and_only_after_the_deadline(
    round_courses, student, centre_editor, other_editor
):
    x, _y = round_courses
    round = apply(x, student, [x]).round
    with pytest.raises(EnrolmentError) as caught:
        services.round_allocate(round=round, by=other_editor, now=after_deadline(x))
    assert caught.value.code == "forbidden"
    with pytest.raises(EnrolmentError) as caught:
        services.round_allocate(round=round, by=centre_editor, now=x.application_closes_at - HOUR)
    assert caught.value.code == "still_open"


def make_applicants(x, y):
    exchange = [
        student_create(status=StudentStatus.INCOMING_EXCHANGE, first_name=f"Ex{n}")
        for n in range(3)
    ]
    degree = student_create(status=StudentStatus.INTERNATIONAL_DEGREE, first_name="Deg")
    phd = student_create(status=StudentStatus.PHD, first_name="Phd")
    for person in exchange:
        apply(x, person, [x, y])
    apply(x, phd, [y, x])
    apply(x, degree, [x])
    return exchange, degree, phd


def test_priority_rules_then_lot_decide_and_results_become_bookings(round_courses, centre_editor):
    x, y = round_courses
    exchange, degree, phd = make_applicants(x, y)
    round = RoundApplication.objects.first().round
    plan = services.round_allocate(
        round=round, by=centre_editor, seed="fixed", now=after_deadline(x)
    )
    order = [a.person for a in plan.order]
    assert order[:2] == [degree, phd]  # degree first, then by status; the lot among exchange
    outcomes = {a.person_id: a for a in RoundApplication.objects.all()}
    assert outcomes[degree.pk].outcome == RoundOutcome.PLACED
    assert outcomes[degree.pk].course_id == x.pk
    assert outcomes[phd.pk].course_id == y.pk and outcomes[phd.pk].choice_rank == 1
    placed_exchange = [p for p in exchange if outcomes[p.pk].outcome == RoundOutcome.PLACED]
    assert placed_exchange == [order[2]]  # the first exchange student in the lot
    # The rest wait for their first choice (X) in priority order.
    waiting = list(
        Enrolment.objects.filter(course=x, status=BookingStatus.WAITLISTED).order_by("sequence")
    )
    assert [e.person for e in waiting] == order[3:]
    # One active place per person, capacities kept.
    assert Enrolment.objects.filter(course=x, status=BookingStatus.CONFIRMED).count() == 2
    assert Enrolment.objects.filter(course=y, status=BookingStatus.CONFIRMED).count() == 1
    for person in [degree, phd, *exchange]:
        assert (
            Enrolment.objects.filter(person=person, status__in=["confirmed", "waitlisted"]).count()
            == 1
        )
    # Everyone hears the result.
    assert Notification.objects.filter(kind="course_round_result").count() == 5
    round.refresh_from_db()
    assert round.seed == "fixed" and round.allocated_at is not None


def test_the_lot_is_reproducible_from_its_seed(round_courses, centre_editor):
    x, y = round_courses
    make_applicants(x, y)
    round = RoundApplication.objects.first().round
    first = services.round_allocate(
        round=round, by=centre_editor, seed="abc", preview=True, now=after_deadline(x)
    )
    again = services.round_allocate(
        round=round, by=centre_editor, seed="abc", preview=True, now=after_deadline(x)
    )
    other = [
        services.round_allocate(
            round=round, by=centre_editor, seed=f"s{n}", preview=True, now=after_deadline(x)
        )
        for n in range(6)
    ]
    assert [a.pk for a in first.order] == [a.pk for a in again.order]
    assert first.placed == again.placed
    assert len({tuple(a.pk for a in plan.order) for plan in other}) > 1
    assert not Enrolment.objects.exists()  # previews write nothing


def test_a_round_is_allocated_once(round_courses, student, centre_editor):
    x, _y = round_courses
    round = apply(x, student, [x]).round
    services.round_allocate(round=round, by=centre_editor, now=after_deadline(x))
    with pytest.raises(EnrolmentError) as caught:
        services.round_allocate(round=round, by=centre_editor, now=after_deadline(x))
    assert caught.value.code == "allocated"


def test_a_late_cancellation_goes_to_the_priority_waitlist(round_courses, centre_editor):
    x, y = round_courses
    exchange, degree, phd = make_applicants(x, y)
    round = RoundApplication.objects.first().round
    plan = services.round_allocate(round=round, by=centre_editor, seed="z", now=after_deadline(x))
    order = [a.person for a in plan.order]
    held = Enrolment.objects.get(course=x, person=degree)
    services.enrolment_cancel(enrolment=held, user=degree, now=timezone.now())
    promoted = Enrolment.objects.get(person=order[3])
    assert promoted.status == BookingStatus.CONFIRMED


# --- The pages -----------------------------------------------------------------------------


def test_a_student_ranks_the_courses_on_the_page(client, round_courses, student):
    from django.urls import reverse

    x, y = round_courses
    client.force_login(student)
    url = reverse("courses:round_apply", args=[x.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'name="rank-{y.pk}"' in page.content.decode()
    same = client.post(url, {f"rank-{x.pk}": "1", f"rank-{y.pk}": "1"})
    assert "its own choice number" in same.content.decode()
    assert client.post(url, {f"rank-{x.pk}": "2", f"rank-{y.pk}": "1"}).status_code == 302
    assert RoundApplication.objects.get(person=student).choices == [y.pk, x.pk]


def test_the_language_centre_previews_then_allocates_the_previewed_lot(
    client, round_courses, centre_editor, student, other_editor
):
    from django.urls import reverse

    x, y = round_courses
    apply(x, student, [y, x])
    x.application_closes_at = timezone.now() - HOUR
    x.save()
    y.application_closes_at = timezone.now() - HOUR
    y.save()
    url = reverse("courses:round_allocate", args=[x.pk])
    client.force_login(other_editor)
    assert client.get(url).status_code == 403
    client.force_login(centre_editor)
    preview = client.get(url)
    seed = preview.context["plan"].seed
    assert seed in preview.content.decode()
    assert not Enrolment.objects.exists()
    assert client.post(url, {"allocate": "1", "seed": seed}).status_code == 302
    application = RoundApplication.objects.get(person=student)
    assert application.round.seed == seed
    assert application.outcome == RoundOutcome.PLACED and application.course_id == y.pk
