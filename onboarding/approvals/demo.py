"""Demo course-approval data (``demo.toml``): earlier decisions, promises, cases, a transcript.

Earlier decisions are made for every demo agreement from the topics of its
subject areas: the same inputs give the same decisions, found again by their
import key, so running the demo again adds nothing. Dates count back from
today, so some decisions have expired and the rest are current.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cms.demo_data import load
from onboarding.exchange.models import Agreement, IscedField
from onboarding.units.demo import demo_units

from .models import CourseApproval, PrecedentSource, UnitPromise
from .services.precedents import precedent_create

DATA = load(__file__)
FIELDS: dict[str, dict[str, Any]] = {field["code"]: field for field in DATA["field"]}
# The ECTS credits of one semester's course at a partner, by how many a decision joins.
ECTS_ABROAD = (Decimal("7.5"), Decimal("6"), Decimal("5"), Decimal("10"))


def _number(*parts: object) -> int:
    """A stable number from ``parts`` (the same inputs give the same demo)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return int(digest[:12], 16)


def _code_prefix(schac: str) -> str:
    letters = re.sub(r"[^a-z]", "", schac.split(".")[0]).upper()
    return (letters or "X")[:3]


def _foreign_title(english: str, country: str) -> str:
    return DATA.get("foreign_titles", {}).get(country, {}).get(english, english)


def _foreign_course(agreement: Agreement, field: dict[str, Any], topic: int, ects: Decimal):
    english, _norwegian = field["topics"][topic]
    institution = agreement.institution
    level = "master" if agreement.level_master and not agreement.level_bachelor else "bachelor"
    number = 100 + _number(institution.schac_code, field["code"], topic) % 800
    return {
        "code": f"{_code_prefix(institution.schac_code)}{field['code'][-2:]}{number}",
        "title": _foreign_title(english, str(institution.country)),
        "ects": ects,
        "level": level,
        "url": institution.website,
        "taught": ("autumn", "spring", "both")[_number(institution.pk, topic) % 3],
    }


def _home_course(field: dict[str, Any], topic: int, ects: Decimal) -> dict[str, Any]:
    english, norwegian = field["topics"][topic]
    return {
        "kind": "course",
        "code": f"{field['prefix']}{2000 + topic * 10 + int(field['code'][-1])}",
        "title_nb": norwegian,
        "title_en": english,
        "ects": ects,
    }


def _decisions_for(agreement: Agreement, field: dict[str, Any], isced: IscedField):
    """The decisions for one agreement in one field: (key, values) pairs."""
    today = timezone.localdate()
    topics = len(field["topics"])
    count = 3 + _number(agreement.reference, field["code"]) % 3
    for index in range(count):
        seed = _number(agreement.reference, field["code"], index)
        topic = seed % topics
        times = 1 + seed % 4  # the same course approved again in later years
        style = seed % 7  # 0: a combination, 1: an elective, else one course for one
        for repeat in range(times):
            key = f"demo:{agreement.reference}:{field['code']}:{index}:{repeat}"
            days_ago = 60 + (_number(key) % 2400)
            decided_on = today - datetime.timedelta(days=days_ago)
            if style == 0:
                other = (topic + 1) % topics
                foreign = [
                    _foreign_course(agreement, field, topic, Decimal("5")),
                    _foreign_course(agreement, field, other, Decimal("5")),
                ]
                home = [_home_course(field, topic, Decimal("10"))]
            elif style == 1:
                foreign = [_foreign_course(agreement, field, topic, ECTS_ABROAD[seed % 4])]
                level = foreign[0]["level"]
                home = [
                    {
                        "kind": "elective",
                        "elective_level": level,
                        "elective_field": isced,
                        "ects": foreign[0]["ects"],
                    }
                ]
            else:
                ects = ECTS_ABROAD[seed % 4]
                foreign = [_foreign_course(agreement, field, topic, ects)]
                home = [_home_course(field, topic, Decimal("7.5") if ects < 10 else Decimal("10"))]
            yield (
                key,
                {
                    "institution": agreement.institution,
                    "decided_on": decided_on,
                    "foreign": foreign,
                    "home": home,
                    "isced": isced,
                },
            )


def seed_precedents() -> int:
    """Earlier decisions for every demo agreement; returns how many there are."""
    existing = set(
        CourseApproval.objects.filter(import_key__startswith="demo:").values_list(
            "import_key", flat=True
        )
    )
    agreements = (
        Agreement.objects.select_related("institution", "owner_unit")
        .prefetch_related("subject_areas")
        .order_by("reference")
    )
    with transaction.atomic():
        for agreement in agreements:
            for isced in agreement.subject_areas.all():
                field = FIELDS.get(isced.code)
                if field is None:
                    continue
                for key, values in _decisions_for(agreement, field, isced):
                    if key in existing:
                        continue
                    precedent_create(
                        deciding_unit=agreement.owner_unit,
                        source=PrecedentSource.IMPORT,
                        import_key=key,
                        **values,
                    )
    return CourseApproval.objects.filter(import_key__startswith="demo:").count()


def seed_promises() -> int:
    units = demo_units()
    for key, (first, decision) in DATA["promises"].items():
        if key in units:
            UnitPromise.objects.update_or_create(
                unit=units[key],
                defaults={"first_response_days": first, "decision_days": decision},
            )
    return len(DATA["promises"])


def seed_approvals() -> int:
    """The whole course-approval demo; returns the number of earlier decisions."""
    seed_promises()
    return seed_precedents()
