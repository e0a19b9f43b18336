"""Data of the precedent-search benchmark, run in its own process on the benchmark's database.

``python -m tests.perf.precedents_bench_data OUT.json [COUNT]`` makes (again) the site, a unit
tree, 200 partners and COUNT (50,000) earlier decisions written straight to the tables in
batches (a fifth of them combinations of two or three courses, a tenth electives, some with
two home courses; decided from 2010 to 2026, valid five years, so about half expired), with
the search text the services would keep; then a student with a logged-in session. It writes
the session key, the addresses of the searches and of the plain information page.
"""

import json
import random
import sys

GERMAN = [
    "Grundlagen",
    "Algorithmen",
    "Datenbanken",
    "Rechnernetze",
    "Betriebssysteme",
    "Softwaretechnik",
    "Künstliche",
    "Intelligenz",
    "Verteilte",
    "Systeme",
    "Mathematik",
    "Analysis",
    "Statistik",
    "Physik",
    "Chemie",
    "Ökonomie",
    "Praktikum",
    "Einführung",
    "Vertiefung",
    "Seminar",
]
ENGLISH = [
    "Programming",
    "Machine",
    "Learning",
    "Networks",
    "Security",
    "Databases",
    "Algorithms",
    "Economics",
    "Nursing",
    "Marketing",
    "Finance",
    "Ecology",
    "Robotics",
    "Design",
    "Law",
    "History",
    "Linguistics",
    "Biology",
    "Geology",
    "Ethics",
]
HOME = [
    ("Programmering", "Programming"),
    ("Algoritmer og datastrukturer", "Algorithms and data structures"),
    ("Databaser", "Databases"),
    ("Datanettverk", "Computer networks"),
    ("Maskinlæring", "Machine learning"),
    ("Informasjonssikkerhet", "Information security"),
    ("Statistikk", "Statistics"),
    ("Økonomi", "Economics"),
    ("Sykepleie", "Nursing"),
    ("Markedsføring", "Marketing"),
    ("Økologi", "Ecology"),
    ("Rettslære", "Law"),
    ("Historie", "History"),
    ("Språkvitenskap", "Linguistics"),
    ("Biologi", "Biology"),
]
FIELDS = ["0613", "0612", "0714", "0541", "0913", "0413", "0421", "0222", "0511", "0532"]
PREFIXES = ["IN", "MA", "EC", "BI", "PH", "LA"]
CITIES = ["München", "Stockholm", "København", "Madrid", "Wien", "Lyon", "Gent", "Kraków"]


def setup(out_path, count):
    import django

    django.setup()
    import datetime
    from decimal import Decimal

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import translation

    from cms.demo import seed_site
    from cms.models import InformationPage
    from onboarding.approvals.models import CourseApproval, ForeignCourse, HomeCourse
    from onboarding.exchange.models import Institution, IscedField
    from onboarding.units.models import UnitDirectoryPage, UnitPage
    from tests.factories import UserFactory
    from tests.onboarding.checklists.conftest import fast_unit_tree

    rng = random.Random(2026)
    with transaction.atomic(), translation.override("nb"):
        home = seed_site()
        CourseApproval.objects.all().delete()
        UnitPage.objects.all().delete()
        UnitDirectoryPage.objects.all().delete()
        tree = fast_unit_tree(home)
        units = [tree["section"], tree["faculty_a"], tree["faculty_b"], tree["department_a"]]
        Institution.objects.filter(schac_code__endswith=".bench.example").delete()
        partners = []
        for number in range(200):
            city = CITIES[number % len(CITIES)]
            partner = Institution(
                schac_code=f"p{number:03d}.bench.example",
                country="DE",
                city=city,
            )
            partner.name_nb = partner.name_en = f"Partneruniversitet {number:03d} {city}"
            partners.append(partner)
        partners = Institution.objects.bulk_create(partners)
        fields = {field.code: field for field in IscedField.objects.filter(code__in=FIELDS)}

    def foreign_title():
        words = rng.sample(GERMAN, 2) if rng.random() < 0.6 else rng.sample(ENGLISH, 2)
        return " ".join(words)

    start = datetime.date(2010, 1, 1)
    made = 0
    while made < count:
        batch = min(5000, count - made)
        with transaction.atomic():
            plans = []
            for n in range(made, made + batch):
                partner = partners[n % len(partners)]
                decided = start + datetime.timedelta(days=rng.randint(0, 16 * 365))
                foreign = [
                    (f"{rng.choice(PREFIXES)}{rng.randint(1000, 4999)}", foreign_title())
                    for _ in range(rng.choices([1, 2, 3], [80, 15, 5])[0])
                ]
                elective = rng.random() < 0.1
                homes = []
                if elective:
                    homes.append(("elective", "", "", "", rng.choice(FIELDS)))
                else:
                    for _ in range(rng.choices([1, 2], [85, 15])[0]):
                        number = rng.randint(100, 399)
                        title_nb, title_en = HOME[number % len(HOME)]
                        homes.append(("course", f"DAT{number}", title_nb, title_en, ""))
                isced = rng.choice(FIELDS) if rng.random() < 0.5 else ""
                words = [
                    partner.schac_code,
                    partner.name_nb,
                    partner.name_en,
                    partner.city,
                    isced,
                    *(part for code, title in foreign for part in (code, title)),
                    *(part for h in homes for part in (h[1], h[2], h[3], h[4])),
                ]
                plans.append(
                    (
                        CourseApproval(
                            institution=partner,
                            deciding_unit=units[n % len(units)],
                            isced=fields.get(isced),
                            decided_on=decided,
                            valid_until=decided.replace(year=decided.year + 5)
                            if (decided.month, decided.day) != (2, 29)
                            else decided.replace(year=decided.year + 5, day=28),
                            source="import",
                            search_text=" ".join(w.strip().lower() for w in words if w),
                        ),
                        foreign,
                        homes,
                    )
                )
            approvals = CourseApproval.objects.bulk_create([plan[0] for plan in plans])
            ForeignCourse.objects.bulk_create(
                [
                    ForeignCourse(
                        approval=approval,
                        code=code,
                        title=title,
                        ects=Decimal("7.5"),
                        sort_order=index,
                    )
                    for approval, (_a, foreign, _h) in zip(approvals, plans, strict=True)
                    for index, (code, title) in enumerate(foreign)
                ]
            )
            HomeCourse.objects.bulk_create(
                [
                    HomeCourse(
                        approval=approval,
                        kind=kind,
                        code=code,
                        title_nb=title_nb,
                        title_en=title_en,
                        elective_level="bachelor" if kind == "elective" else "",
                        elective_field=fields.get(field),
                        ects=Decimal("7.5"),
                        sort_order=index,
                    )
                    for approval, (_a, _f, homes) in zip(approvals, plans, strict=True)
                    for index, (kind, code, title_nb, title_en, field) in enumerate(homes)
                ]
            )
        made += batch
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    with transaction.atomic():
        student = UserFactory(email="precedent.bench@example.test")
        session = SessionStore()
        session[SESSION_KEY] = str(student.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = student.get_session_auth_hash()
        session.create()
    info = InformationPage.objects.live().filter(slug_en="arrival-and-housing").first()
    busy = partners[7]
    with translation.override("en"):
        search = reverse("approvals:precedent_search")
        data = {
            "session": session.session_key,
            "information": info.get_url(),
            "decisions": CourseApproval.objects.count(),
            "searches": {
                "no filter (first page of all)": search,
                "one common word": f"{search}?q=programming",
                "a course code": f"{search}?q=dat120",
                "two words, valid only": f"{search}?q=machine+learning&searched=1",
                "partner": f"{search}?institution={busy.schac_code}",
                "partner and subject area": f"{search}?institution={busy.schac_code}&isced=06",
                "our course code": f"{search}?home_code=DAT120",
                "picker JSON, partner and word": (
                    f"{reverse('approvals:precedent_pick_json')}"
                    f"?institution={busy.schac_code}&q=grundlagen"
                ),
            },
        }
    with open(out_path, "w") as out:
        json.dump(data, out)


if __name__ == "__main__":
    setup(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 50_000)
