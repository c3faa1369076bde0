"""The demo city: generated areas, residents, organisations and staff, for the embedded mode only.

Everything generated carries `is_demo=True` and a （デモ） label, and the same seed always
generates the same city. Real rows (the city, its five wards, the plan) are left untouched.
"""

import datetime as dt
import math
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from plan_registry.models import Area
from volunteer import services
from volunteer.models import (
    ActivityCategory,
    Consent,
    Organisation,
    OrganisationMembership,
    QualificationType,
    Skill,
    StaffRole,
    User,
    VerifiedIdentity,
)
from volunteer.selectors import area_ids_covered

DEMO_LABEL = "（デモ）"
# Daily-life areas per ward (27 in all, one per ささえりあ), and districts per ward (95 in all).
WARD_LAYOUT = {"chuo": (6, 22), "higashi": (6, 21), "nishi": (4, 14), "minami": (5, 17), "kita": (6, 21)}
WARD_CENTRES = {
    "chuo": (0.0, 0.0),
    "higashi": (6.0, 0.5),
    "nishi": (-6.0, 0.5),
    "minami": (0.5, -6.0),
    "kita": (0.0, 6.5),
}
DISTRICT_NAME_PARTS = (
    "桜",
    "若葉",
    "青葉",
    "朝日",
    "白川",
    "泉",
    "緑",
    "花園",
    "城山",
    "本町",
    "春日",
    "清水",
    "梅林",
    "松原",
    "竹の",
    "杉並",
    "藤",
    "菊",
    "桂",
    "楠",
    "川上",
    "川辺",
    "岡",
    "丘",
    "山手",
    "浜",
)
DISTRICT_NAME_ENDINGS = ("台", "が丘", "野", "原", "里", "町", "南", "北", "東", "西", "中央", "台東")
FAMILY_NAMES = (
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "渡辺",
    "伊藤",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "松本",
    "井上",
    "木村",
    "林",
    "清水",
    "村上",
    "坂本",
    "緒方",
)
GIVEN_NAMES = (
    "勝",
    "健",
    "誠",
    "翔",
    "大翔",
    "蓮",
    "浩",
    "茂",
    "恵",
    "あゆみ",
    "陽菜",
    "さくら",
    "美咲",
    "和子",
    "幸子",
    "節子",
    "結衣",
    "葵",
    "花子",
    "優子",
)
# Age bands (lower, upper, share): the helpers the plan worries about are mostly over 65.
AGE_BANDS = (
    (15, 17, 0.03),
    (18, 29, 0.11),
    (30, 39, 0.12),
    (40, 49, 0.14),
    (50, 64, 0.22),
    (65, 74, 0.20),
    (75, 92, 0.18),
)
# The named accounts, and what each is for (printed after a load).
ACCOUNTS = (
    ("coordinator@example.com", "山本 恵, coordinator of 中央区 and 東区: the match queue, applications"),
    ("organiser@example.com", "staff of NPO くまもと子ども食堂ネット: its events, check-in, attendance"),
    ("planner@example.com", "中村 健, plan office: survey values, the progress report"),
    ("admin@example.com", "administrator: everything, and /admin/"),
    ("resident@example.com", "田中 勝 (72): his points, stamps, certificate and next salon (the app's API)"),
)
STAFF_ACCOUNTS = tuple(email for email, _what in ACCOUNTS)
RESIDENT_PREFIX = "demo-resident-"
# The wards coordinator@example.com does not cover get a generated coordinator each, so that
# every past decision was taken by someone who may take it.
OTHER_WARDS = ("nishi", "minami", "kita")

DEMO_IDENTITY_ISSUER = "https://demo.invalid/my-number"
DEMO_VERIFIED_SHARE = 0.55  # residents who verified with the My Number card in the demo


def city_load(*, password: str, residents: int = 3000, seed: int = 2025) -> bool:
    """Generates the demo city once (True when it did); every run resets the named accounts'
    password to `password`."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo data is generated only in demo mode (DEMO_MODE).")
    rng = random.Random(seed)
    generated = False
    with transaction.atomic():
        if not Area.objects.filter(is_demo=True).exists():
            districts = _areas_create(rng)
            _residents_create(rng, districts=districts, count=residents)
            _organisations_create(rng, districts=districts)
            generated = True
        _accounts_ensure(password=password)
        if generated:
            _organisation_staff_create(rng)
            _ward_coordinators_create()
    return generated


def demo_residents() -> QuerySet[User]:
    """The generated residents (not the named accounts, nor generated staff)."""
    return User.objects.filter(is_demo=True, email__startswith=RESIDENT_PREFIX)


def coordinators_by_district() -> dict[int, User]:
    """The demo coordinator who covers each area (the ward's), by area id."""
    covering: dict[int, User] = {}
    roles = StaffRole.objects.filter(role=StaffRole.Role.COORDINATOR, user__is_demo=True)
    for role in roles.select_related("user").prefetch_related("areas").order_by("pk"):
        for area_id in area_ids_covered(areas=list(role.areas.all())):
            covering.setdefault(area_id, role.user)
    return covering


def organisation_staff() -> dict[int, User]:
    """One active staff member of each demo organisation that has one, by organisation id."""
    staff: dict[int, User] = {}
    memberships = OrganisationMembership.objects.filter(is_active=True, organisation__is_demo=True)
    for membership in memberships.select_related("user").order_by("pk"):
        staff.setdefault(membership.organisation_id, membership.user)
    return staff


def _areas_create(rng: random.Random) -> list[Area]:
    names = iter(rng.sample([p + e for p in DISTRICT_NAME_PARTS for e in DISTRICT_NAME_ENDINGS], 95))
    districts: list[Area] = []
    positions: dict[int, tuple[float, float]] = {}
    for ward in Area.objects.filter(kind=Area.Kind.WARD).order_by("code"):
        area_count, district_count = WARD_LAYOUT[ward.code]
        daily_life_areas = [
            Area.objects.create(
                kind=Area.Kind.DAILY_LIFE_AREA,
                code=f"{ward.code}-dla-{index}",
                name=f"{ward.name}第{index}圏域{DEMO_LABEL}",
                name_en=f"{ward.name_en} area {index} (demo)",
                parent=ward,
                is_demo=True,
            )
            for index in range(1, area_count + 1)
        ]
        centre_x, centre_y = WARD_CENTRES[ward.code]
        for index in range(district_count):
            name = next(names)
            district = Area.objects.create(
                kind=Area.Kind.SCHOOL_DISTRICT,
                code=f"{ward.code}-{index + 1:02d}",
                name=f"{name}校区{DEMO_LABEL}",
                name_en=f"{ward.name_en} district {index + 1} (demo)",
                parent=daily_life_areas[index % area_count],
                is_demo=True,
            )
            angle, radius = rng.uniform(0, 2 * math.pi), 3.2 * math.sqrt(rng.random())
            positions[district.pk] = (
                centre_x + radius * math.cos(angle),
                centre_y + radius * math.sin(angle),
            )
            districts.append(district)
    _neighbours_link(districts, positions)
    return districts


def _neighbours_link(districts: list[Area], positions: dict[int, tuple[float, float]]) -> None:
    """Each district neighbours its three nearest: symmetric, and across ward borders too."""
    for district in districts:
        x, y = positions[district.pk]
        nearest = sorted(
            (other for other in districts if other.pk != district.pk),
            key=lambda other: (positions[other.pk][0] - x) ** 2 + (positions[other.pk][1] - y) ** 2,
        )[:3]
        district.neighbours.add(*nearest)


def _residents_create(rng: random.Random, *, districts: list[Area], count: int) -> None:
    today = timezone.localdate()
    unusable = make_password(None)
    weights = [share for _low, _high, share in AGE_BANDS]
    users = []
    for number in range(1, count + 1):
        low, high, _share = rng.choices(AGE_BANDS, weights=weights)[0]
        users.append(
            User(
                email=f"{RESIDENT_PREFIX}{number:04d}@example.com",
                password=unusable,
                display_name=f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}{DEMO_LABEL}",
                birth_date=today - dt.timedelta(days=rng.randint(low * 365 + 1, high * 365 + 300)),
                school_district=rng.choice(districts),
                weekly_availability=_availability(rng),
                languages=["ja"]
                + (["en"] if rng.random() < 0.08 else [])
                + (["vi"] if rng.random() < 0.02 else []),
                notification_preferences={"email": True, "push": rng.random() < 0.7},
                is_demo=True,
            )
        )
    User.objects.bulk_create(users, batch_size=500)
    created = list(demo_residents())
    _resident_links(rng, created)
    VerifiedIdentity.objects.bulk_create(
        [_demo_identity(user) for user in created if rng.random() < DEMO_VERIFIED_SHARE], batch_size=500
    )


def _demo_identity(user: User) -> VerifiedIdentity:
    """As if verified with the My Number card at a demo provider (there is none to call)."""
    return VerifiedIdentity(
        person=user,
        issuer=DEMO_IDENTITY_ISSUER,
        subject=f"demo-{user.pk}",
        assurance_level="demo",
        verified_at=timezone.now(),
        birth_date=user.birth_date,
        name=user.display_name,
    )


def _availability(rng: random.Random) -> list[dict[str, object]]:
    slots = []
    for weekday in sorted(rng.sample(range(7), rng.randint(1, 3))):
        start = rng.choice(("09:00", "10:00", "13:00", "14:00", "18:00"))
        end = {"09:00": "12:00", "10:00": "12:00", "13:00": "16:00", "14:00": "17:00", "18:00": "20:00"}[
            start
        ]
        slots.append({"weekday": weekday, "start": start, "end": end})
    return slots


def _resident_links(rng: random.Random, users: list[User]) -> None:
    skills, categories = list(Skill.objects.all()), list(ActivityCategory.objects.all())
    insurance = QualificationType.objects.filter(code="volunteer-insurance").first()
    now, today = timezone.now(), timezone.localdate()
    skill_links, interest_links = [], []
    consents: list[Consent] = []
    for user in users:
        skill_links += [
            User.skills.through(user_id=user.pk, skill_id=s.pk) for s in rng.sample(skills, rng.randint(0, 3))
        ]
        interest_links += [
            User.interests.through(user_id=user.pk, activitycategory_id=c.pk)
            for c in rng.sample(categories, rng.randint(1, 3))
        ]
        consents.extend(
            Consent(user=user, document=document, version=version, consented_at=now)
            for document, version in settings.CONSENT_CURRENT_VERSIONS.items()
        )
        # Under 18 at some point of the demo's history (three fiscal years): a guardian consented,
        # as events require before a minor registers.
        if user.birth_date and user.birth_date > today - dt.timedelta(days=21 * 366):
            consents.append(
                Consent(user=user, document=Consent.Document.GUARDIAN, version="2025-04", consented_at=now)
            )
        if insurance and rng.random() < 0.3:
            services.qualification_grant(
                user=user, qualification_type=insurance, obtained_on=timezone.localdate(), source="demo"
            )
    User.skills.through.objects.bulk_create(skill_links, batch_size=1000)
    User.interests.through.objects.bulk_create(interest_links, batch_size=1000)
    Consent.objects.bulk_create(consents, batch_size=1000)


def _organisations_create(rng: random.Random, *, districts: list[Area]) -> None:
    city = Area.objects.get(kind=Area.Kind.CITY)
    now = timezone.now()
    rows = [
        Organisation(
            name=f"熊本市社会福祉協議会 ボランティアセンター{DEMO_LABEL}",
            kind=Organisation.Kind.VOLUNTEER_CENTRE,
            area=city,
        )
    ]
    rows += [
        Organisation(
            name=f"{d.name.removesuffix(DEMO_LABEL)}社会福祉協議会{DEMO_LABEL}",
            kind=Organisation.Kind.SCHOOL_DISTRICT_COUNCIL,
            area=d,
        )
        for d in districts
    ]
    rows.append(
        Organisation(
            name=f"NPO くまもと子ども食堂ネット{DEMO_LABEL}", kind=Organisation.Kind.NPO, area=districts[0]
        )
    )
    rows += [
        Organisation(
            name=f"NPO 地域ささえあいの会 {n}{DEMO_LABEL}",
            kind=Organisation.Kind.NPO,
            area=rng.choice(districts),
        )
        for n in range(1, 16)
    ]
    rows += [
        Organisation(
            name=f"特別養護老人ホーム 第{n}やすらぎ苑{DEMO_LABEL}",
            kind=Organisation.Kind.CARE_FACILITY,
            area=rng.choice(districts),
            is_care_host=n <= 10,
        )
        for n in range(1, 16)
    ]
    rows += [
        Organisation(
            name=f"{d.name.removesuffix('校区' + DEMO_LABEL)}町内自治会{DEMO_LABEL}",
            kind=Organisation.Kind.NEIGHBOURHOOD_ASSOCIATION,
            area=d,
        )
        for d in rng.sample(districts, 10)
    ]
    for organisation in rows:
        organisation.status = Organisation.Status.APPROVED
    pending = [
        Organisation(
            name=f"{label}{DEMO_LABEL}",
            kind=kind,
            area=rng.choice(districts[:43]),
            status=Organisation.Status.APPLIED,
        )
        for label, kind in (
            ("NPO 子育てひろば ぽかぽか", Organisation.Kind.NPO),
            ("デイサービス ひだまり", Organisation.Kind.CARE_FACILITY),
            ("学習支援の会 まなびや", Organisation.Kind.NPO),
        )
    ]
    for organisation in rows + pending:
        organisation.applied_at = now - dt.timedelta(
            days=rng.randint(1, 900)
            if organisation.status == Organisation.Status.APPROVED
            else rng.randint(1, 6)
        )
        organisation.coordinators_notified_at = organisation.applied_at
        organisation.is_demo = True
        organisation.contact_email = ""
    Organisation.objects.bulk_create(rows + pending)


def _accounts_ensure(*, password: str) -> None:
    """The demo's named accounts; their password is reset to the current DEMO_PASSWORD."""
    hashed = make_password(password)
    accounts = {}
    for email in STAFF_ACCOUNTS:
        accounts[email], _created = User.objects.update_or_create(
            email=email,
            defaults={
                "password": hashed,
                "is_demo": True,
                "is_staff": email != "resident@example.com",
                "is_superuser": email == "admin@example.com",
            },
        )
    User.objects.filter(pk=accounts["coordinator@example.com"].pk).update(display_name=f"山本 恵{DEMO_LABEL}")
    User.objects.filter(pk=accounts["planner@example.com"].pk).update(display_name=f"中村 健{DEMO_LABEL}")
    User.objects.filter(pk=accounts["resident@example.com"].pk).update(
        display_name=f"田中 勝{DEMO_LABEL}",
        birth_date=timezone.localdate().replace(year=timezone.localdate().year - 72),
        school_district=Area.objects.filter(kind=Area.Kind.SCHOOL_DISTRICT).order_by("code").first(),
        weekly_availability=[
            {"weekday": 1, "start": "09:00", "end": "12:00"},
            {"weekday": 3, "start": "09:00", "end": "12:00"},
        ],
        languages=["ja"],
    )
    tanaka = accounts["resident@example.com"]
    tanaka.refresh_from_db()
    if not VerifiedIdentity.objects.filter(person=tanaka).exists():
        _demo_identity(tanaka).save()
    tanaka.skills.set(Skill.objects.filter(code="listening"))
    tanaka.interests.set(ActivityCategory.objects.filter(code__in=["listening", "watching-over"]))
    coordinator, _ = StaffRole.objects.get_or_create(
        user=accounts["coordinator@example.com"], role=StaffRole.Role.COORDINATOR
    )
    coordinator.areas.set(Area.objects.filter(code__in=["chuo", "higashi"]))
    StaffRole.objects.get_or_create(user=accounts["planner@example.com"], role=StaffRole.Role.PLAN_OFFICE)
    kodomo = Organisation.objects.filter(name__startswith="NPO くまもと子ども食堂ネット").first()
    if kodomo:
        OrganisationMembership.objects.get_or_create(
            organisation=kodomo,
            user=accounts["organiser@example.com"],
            defaults={"role": OrganisationMembership.Role.ADMIN},
        )


def _organisation_staff_create(rng: random.Random) -> None:
    """A staff member (who cannot sign in) for every approved demo organisation without one, so
    that their events are verified and their needs posted by someone who may act for them."""
    unusable = make_password(None)
    organisations = list(
        Organisation.objects.filter(
            is_demo=True, status=Organisation.Status.APPROVED, memberships__isnull=True
        )
        .select_related("area")
        .order_by("pk")
    )
    staff = User.objects.bulk_create(
        [
            User(
                email=f"demo-staff-{organisation.pk:04d}@example.com",
                password=unusable,
                display_name=f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}{DEMO_LABEL}",
                school_district=organisation.area
                if organisation.area.kind == Area.Kind.SCHOOL_DISTRICT
                else None,
                is_demo=True,
            )
            for organisation in organisations
        ]
    )
    OrganisationMembership.objects.bulk_create(
        OrganisationMembership(organisation=organisation, user=user, role=OrganisationMembership.Role.ADMIN)
        for organisation, user in zip(organisations, staff, strict=True)
    )
    now = timezone.now()  # organisation staff post needs: they agreed to the current terms too
    Consent.objects.bulk_create(
        Consent(user=user, document=document, version=version, consented_at=now)
        for user in staff
        for document, version in settings.CONSENT_CURRENT_VERSIONS.items()
    )


def _ward_coordinators_create() -> None:
    unusable = make_password(None)
    for ward in Area.objects.filter(kind=Area.Kind.WARD, code__in=OTHER_WARDS).order_by("code"):
        user = User.objects.create(
            email=f"demo-coordinator-{ward.code}@example.com",
            password=unusable,
            display_name=f"{ward.name}のコーディネーター{DEMO_LABEL}",
            is_demo=True,
            is_staff=True,
        )
        StaffRole.objects.create(user=user, role=StaffRole.Role.COORDINATOR).areas.set([ward])
