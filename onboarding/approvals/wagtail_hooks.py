"""What course approval gives the rest of the site: notification kinds, staff rights,
the personal-data register, and (in ``admin_precedents`` and ``admin_cases``) its admin."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages

from onboarding.exchange.models import Agreement
from onboarding.hooks import (
    GAP_CHECKS,
    INTERNATIONAL_STAFF_PERMISSIONS,
    LIVE_TOPICS,
    NOTIFICATION_KINDS,
    PERSONAL_DATA,
    SEARCH_SOURCES,
)
from onboarding.live.kinds import Channel, NotificationKind
from onboarding.privacy.register import Erasure, LegalBasis, PersonalData, Purpose

from . import admin_cases, admin_precedents  # noqa: F401  (their hooks register on import)
from .admin_agreements import GradeScaleViewSet  # noqa: F401  (registers the grade tables)
from .apps import STAFF_PERMISSION
from .models import (
    CaseLine,
    CaseStep,
    LearningAgreement,
    LineForeignCourse,
    LineHomeCourse,
    PreApprovalCase,
    RecognitionDecision,
    TranscriptLine,
)
from .routing import programmes_without_case_unit
from .selectors.cases import case_topic_allowed


@hooks.register(NOTIFICATION_KINDS)
def approvals_notification_kinds():
    """Each side of a case hears of the other's steps, in their own language."""
    return [
        NotificationKind(
            code="approval_case_submitted",
            label=_("A pre-approval case has come to your unit"),
            description=_(
                "A student has submitted courses abroad for approval to a unit you advise for."
            ),
            default_channel=Channel.EMAIL,
            context_keys=("case",),
        ),
        NotificationKind(
            code="approval_case_assigned",
            label=_("A pre-approval case has been given to you"),
            description=_("A case in your unit's queue has been assigned to you."),
            default_channel=Channel.EMAIL,
            context_keys=("case", "cases", "count", "more"),
        ),
        NotificationKind(
            code="approval_case_question",
            label=_("Your adviser has a question about your courses abroad"),
            description=_("The case waits for your answer; its clock is paused until you answer."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("case",),
        ),
        NotificationKind(
            code="approval_case_answered",
            label=_("A student has answered on a pre-approval case"),
            description=_("The case is back with the adviser and its clock runs again."),
            default_channel=Channel.EMAIL,
            context_keys=("case",),
        ),
        NotificationKind(
            code="approval_case_decided",
            label=_("Your courses abroad have been decided"),
            description=_("Every line of your pre-approval case or change has a decision."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("case",),
        ),
        NotificationKind(
            code="approval_case_escalated",
            label=_("A pre-approval case is late"),
            description=_("A case has passed the promised time and comes to the accountable unit."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("case",),
        ),
        NotificationKind(
            code="approval_recognition_decided",
            label=_("Your courses from abroad have been recognised"),
            description=_("The recognition decision after your stay is ready."),
            mandatory=True,
            default_channel=Channel.EMAIL,
            context_keys=("case",),
        ),
    ]


@hooks.register(LIVE_TOPICS)
def approval_case_topics():
    """The ``approval_case:<id>`` topic: the case's student and those who may handle it."""
    return {"approval_case": case_topic_allowed}


# The gap report's finding: programmes whose pre-approval cases would go to no unit.
hooks.register(GAP_CHECKS, programmes_without_case_unit)


@hooks.register(INTERNATIONAL_STAFF_PERMISSIONS)
def approvals_staff_permissions():
    """The International Section sees every queue, keeps the precedents and the grade tables."""
    return [
        f"approvals.{action}_{model}"
        for model in ("courseapproval", "gradescale", "unitpromise")
        for action in ("add", "change", "delete", "view")
    ] + [STAFF_PERMISSION]


@hooks.register(PERSONAL_DATA)
def approvals_personal_data() -> list[PersonalData]:
    common = {"purpose": Purpose.EXCHANGE, "legal_basis": LegalBasis.PUBLIC_TASK}
    return [
        PersonalData(
            model=PreApprovalCase,
            subjects=("student",),
            fields=(
                "student_note",
                "reason",
                "year",
                "season",
                "status",
                "submitted_at",
                "decided_at",
            ),
            other_fields=(
                "id",
                "kind",
                "amends",
                "agreement",
                "programme",
                "waiting_for",
                "unit",
                "accountable_unit",
                "adviser",
                "first_response_days",
                "decision_days",
                "created_at",
                "first_response_at",
                "escalated_at",
                "updated_at",
            ),
            context=("kind", "agreement"),
            # The cases stay, without the student's own words, for the response-time figures.
            erasure=Erasure.ANONYMISE,
            cleared=("student_note", "reason"),
            **common,
        ),
        PersonalData(
            model=CaseLine,
            subjects=("case__student",),
            fields=("student_comment", "decision", "comment"),
            other_fields=(
                "id",
                "action",
                "drops",
                "precedent",
                "recorded_as",
                "decided_by",
                "decided_at",
                "sort_order",
            ),
            erasure=Erasure.ANONYMISE,
            cleared=("student_comment",),
            **common,
        ),
        PersonalData(
            model=CaseStep,
            subjects=("case__student",),
            fields=("kind", "at", "text"),
            other_fields=("id", "actor", "line", "decision", "waiting_for"),
            erasure=Erasure.ANONYMISE,
            cleared=("text",),
            **common,
        ),
        PersonalData(
            model=LineForeignCourse,
            subjects=("line__case__student",),
            fields=("code", "title", "ects", "level", "url", "taught"),
            other_fields=("id", "sort_order"),
            # Course facts, kept with the anonymised case for the figures.
            erasure=Erasure.ANONYMISE,
            **common,
        ),
        PersonalData(
            model=LineHomeCourse,
            subjects=("line__case__student",),
            fields=(
                "kind",
                "code",
                "title",
                "title_nb",
                "title_en",
                "elective_level",
                "elective_field",
                "ects",
            ),
            other_fields=("id", "sort_order"),
            erasure=Erasure.ANONYMISE,
            **common,
        ),
        PersonalData(
            model=LearningAgreement,
            subjects=("case__student",),
            fields=("language", "cefr", "created_at", "updated_at"),
            other_fields=("id",),
            **common,
        ),
        PersonalData(
            model=TranscriptLine,
            subjects=("case__student",),
            fields=("code", "title", "grade", "ects", "entered_at"),
            other_fields=("id", "entered_by"),
            **common,
        ),
        PersonalData(
            model=RecognitionDecision,
            subjects=("case__student",),
            fields=("outcome", "comment", "decided_at"),
            other_fields=("id", "decided_by"),
            **common,
        ),
    ]


@hooks.register("before_delete_snippet")
def keep_agreements_with_cases(request, instances):
    """An exchange agreement that students' cases are for is not deleted: they keep their record.

    The delete view says why and goes back to the agreement, rather than failing
    on the protected link; an agreement that has ended is left to expire.
    """
    agreements = [instance for instance in instances if isinstance(instance, Agreement)]
    if not agreements or not PreApprovalCase.objects.filter(agreement__in=agreements).exists():
        return None
    messages.error(
        request,
        _(
            "Students have pre-approval cases for this agreement, so it cannot be deleted. "
            "Let it end instead: set the date it is valid to."
        ),
    )
    if len(agreements) == 1:
        return redirect("wagtailsnippets_exchange_agreement:edit", agreements[0].pk)
    return redirect("wagtailsnippets_exchange_agreement:list")


@hooks.register(SEARCH_SOURCES)
def precedent_search_sources():
    """Earlier course decisions for the site search (public, like their own search page)."""
    from django.urls import reverse
    from django.utils import formats, timezone
    from django.utils.translation import gettext

    from cms.search.sources import SearchHit, SearchSource

    from .models import CourseApproval

    def queryset():
        return CourseApproval.objects.select_related("institution").prefetch_related(
            "home_courses", "foreign_courses"
        )

    def hit(approval):
        foreign = ", ".join(course.title for course in approval.foreign_courses.all())
        home = ", ".join(
            course.title or course.code or str(course.get_kind_display())
            for course in approval.home_courses.all()
        )
        valid = not approval.is_expired(timezone.localdate())
        note = gettext("valid until %(date)s") if valid else gettext("expired %(date)s")
        return SearchHit(
            title=f"{foreign} → {home}" if foreign and home else str(approval),
            url=reverse("approvals:precedent_detail", args=[approval.pk]),
            summary=gettext("%(partner)s, decided %(date)s")
            % {
                "partner": approval.institution.name,
                "date": formats.date_format(approval.decided_on, "DATE_FORMAT"),
            },
            note=note % {"date": formats.date_format(approval.valid_until, "DATE_FORMAT")},
        )

    return [
        SearchSource(
            key="precedent",
            name=_("Earlier course decision"),
            plural=_("Earlier course decisions"),
            model=CourseApproval,
            order=70,
            queryset=queryset,
            hit=hit,
        )
    ]
