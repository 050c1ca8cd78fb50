"""Demo data for the embedded database: the real office tree, staff in every position, acting
assignments, zonal assignments (I.68) and demo users. DEMO ONLY: their passwords are public in
the README, and the production start refuses to run while any of them still works."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nadzor.adapters.db.tables import people
from nadzor.adapters.org_files import parse_csv
from nadzor.domain.accounts import User
from nadzor.domain.audit import AuditAction
from nadzor.domain.org import Person
from nadzor.services import audit
from nadzor.services.accounts import Passwords, do_create_user, user_by_login
from nadzor.services.context import Actor
from nadzor.services.org import do_create_acting, do_create_person, do_create_zone, do_import_offices, office_by_code

#: login → (password, person key or None, is_admin). Public: for the demo only.
DEMO_USERS: dict[str, tuple[str, str | None, bool]] = {
    "admin": ("admin-demo-2026", None, True),
    "genprokuror": ("genprokuror-demo-2026", "gp", False),
    "karaganda": ("karaganda-demo-2026", "kar_head", False),
    "temirtau": ("temirtau-demo-2026", "tem_deputy", False),
    "almaty": ("almaty-demo-2026", "alm_head", False),
    "medeu": ("medeu-demo-2026", "medeu_prosecutor", False),
}

# key, full name, position, office code
_STAFF: list[tuple[str, str, str, str]] = [
    ("gp", "Асанов Берик Нурланович", "prosecutor_general", "gpo"),
    ("gp_dep1", "Сейткали Марат Ерланович", "deputy_prosecutor_general", "gpo"),
    ("gp_dep2", "Жумабаева Айгуль Сериковна", "deputy_prosecutor_general", "gpo"),
    ("gpo_head", "Ким Виктор Александрович", "gpo_unit_head", "gpo"),
    ("gpo_deph", "Оспанова Динара Кайратовна", "gpo_unit_deputy_head", "gpo"),
    ("gpo_pros", "Тулегенов Арман Болатович", "prosecutor", "gpo"),
    ("gpo_pros2", "Абдрахманова Салтанат Маратовна", "prosecutor", "gpo"),
    ("kar_head", "Бекмуханов Ерлан Сагинтаевич", "regional_prosecutor", "karaganda_region"),
    ("kar_dep", "Ахметова Жанар Толеугалиевна", "deputy_regional_prosecutor", "karaganda_region"),
    ("kar_unit", "Смагулов Данияр Асхатович", "regional_unit_head", "karaganda_region"),
    ("kar_pros", "Ли Елена Викторовна", "prosecutor", "karaganda_region"),
    ("alm_head", "Нурпеисов Канат Жаксылыкович", "regional_prosecutor", "almaty_city"),
    ("alm_dep", "Искакова Гульнара Ержановна", "deputy_regional_prosecutor", "almaty_city"),
    ("alm_unit", "Байжанов Нуржан Оралович", "regional_unit_head", "almaty_city"),
    ("alm_pros", "Сарсенбаев Ильяс Муратович", "prosecutor", "almaty_city"),
    ("ast_head", "Омаров Талгат Бауыржанович", "regional_prosecutor", "astana_city"),
    ("ast_dep", "Кусаинова Асель Бериковна", "deputy_regional_prosecutor", "astana_city"),
    ("mil_head", "Джаксыбеков Руслан Сабитович", "regional_prosecutor", "main_military"),
    ("tr_head", "Есенов Максат Амангельдиевич", "regional_prosecutor", "main_transport"),
]
# District offices staffed in full: (office code, key prefix)
_DISTRICTS = [
    ("karaganda_region.karaganda_city", "karc", ("Мусин Айдар Кайратович", "Ибраева Мадина Сериковна",
                                                 "Шевченко Олег Петрович")),
    ("karaganda_region.temirtau_city", "tem", ("Калиев Нурлан Бакытович", "Садыкова Ботагоз Айдаровна",
                                               "Ермеков Даурен Асылбекович")),
    ("almaty_city.medeu_district", "medeu", ("Рахимов Азамат Маратович", "Есимова Алия Нурлановна",
                                    "Токтаров Санжар Ерболович")),
    ("almaty_city.bostandyk_district", "bost", ("Габдуллин Ерик Талгатович", "Муканова Айжан Болатовна",
                                       "Васильев Андрей Игоревич")),
    ("astana_city.esil_district", "yes", ("Бисенов Алмас Кенжебекович", "Жакупова Айнур Сапаровна",
                                  "Нуржанов Бекзат Асетович")),
]
_DISTRICT_POSITIONS = ("district_prosecutor", "deputy_district_prosecutor", "prosecutor")
_DISTRICT_SUFFIXES = ("head", "deputy", "prosecutor")


def load_offices(session: Session, *, actor: Actor) -> dict[str, int]:
    text = resources.files("nadzor.data").joinpath("offices.csv").read_text(encoding="utf-8")
    return do_import_offices(session, parse_csv(text), actor=actor)


def demo_loaded(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(people)) != 0


def load_demo(session: Session, *, actor: Actor, passwords: Passwords, today: date) -> dict[str, Any]:
    """Fill an empty database with the demo organization. Refuses a database that has staff."""
    if demo_loaded(session):
        return {"loaded": False, "reason": "в базе уже есть сотрудники: демонстрационные данные не загружаются"}
    offices = load_offices(session, actor=actor)

    def office_id(code: str) -> int:
        office = office_by_code(session, code)
        assert office is not None and office.id is not None, code
        return office.id

    staff: dict[str, Person] = {}
    for key, name, position, code in _STAFF:
        staff[key] = do_create_person(session, {"full_name": name, "position": position,
                                                 "office_id": office_id(code)}, actor=actor)
    for code, prefix, names in _DISTRICTS:
        for name, position, suffix in zip(names, _DISTRICT_POSITIONS, _DISTRICT_SUFFIXES, strict=True):
            staff[f"{prefix}_{suffix}"] = do_create_person(
                session, {"full_name": name, "position": position, "office_id": office_id(code)}, actor=actor)

    def pid(key: str) -> int:
        found = staff[key].id
        assert found is not None
        return found

    # Acting assignments: a district deputy acts for the head during leave (covering today), a
    # regional deputy acted for the regional prosecutor last summer.
    do_create_acting(session, {
        "person_id": pid("tem_deputy"), "acting_for": "district_prosecutor",
        "office_id": office_id("karaganda_region.temirtau_city"),
        "date_from": (today - timedelta(days=7)).isoformat(), "date_to": (today + timedelta(days=21)).isoformat(),
        "basis": "Приказ прокурора Карагандинской области о возложении обязанностей на период трудового отпуска",
    }, actor=actor)
    do_create_acting(session, {
        "person_id": pid("kar_dep"), "acting_for": "regional_prosecutor", "office_id": office_id("karaganda_region"),
        "date_from": date(today.year, 7, 1).isoformat(), "date_to": date(today.year, 7, 28).isoformat(),
        "basis": "Приказ Генерального Прокурора о возложении обязанностей на период отпуска",
    }, actor=actor)
    do_create_acting(session, {
        "person_id": pid("medeu_deputy"), "acting_for": "district_prosecutor",
        "office_id": office_id("almaty_city.medeu_district"),
        "date_from": date(2021, 8, 2).isoformat(), "date_to": date(2021, 8, 20).isoformat(),
        "basis": "Приказ прокурора города Алматы (отпуск прокурора района, 2021 год)",
    }, actor=actor)
    # Zonal-subject assignments (I.68).
    year_start = date(today.year, 1, 1).isoformat()
    for person, zone, areas in (
        ("gpo_pros", "karaganda_region", ["all"]),
        ("gpo_pros2", "almaty_city", ["civil", "administrative"]),
        ("kar_pros", "karaganda_region.karaganda_city", ["all"]),
        ("kar_pros", "karaganda_region.temirtau_city", ["all"]),
        ("kar_unit", "karaganda_region.temirtau_city", ["civil", "admin_offences"]),
        ("alm_pros", "almaty_city.medeu_district", ["all"]),
        ("alm_unit", "almaty_city.bostandyk_district", ["all"]),
    ):
        do_create_zone(session, {"person_id": pid(person), "zone_office_id": office_id(zone), "areas": areas,
                                 "date_from": year_start}, actor=actor)
    for login, (secret, person_key, is_admin) in DEMO_USERS.items():
        do_create_user(session, {"login": login, "password": secret, "is_admin": is_admin,
                                 "person_id": pid(person_key) if person_key else None}, actor=actor,
                       passwords=passwords)
    summary = {"loaded": True, "offices": offices, "people": len(staff), "users": len(DEMO_USERS)}
    audit.record(session, actor=actor, action=AuditAction.DEMO_LOADED, object_type="demo", object_id=None,
                 after=summary)
    return summary


def working_demo_logins(session: Session, passwords: Passwords) -> list[str]:
    """Demo accounts whose public demo password still works (production refuses to start)."""
    out = []
    for login, (password, _key, _admin) in DEMO_USERS.items():
        user: User | None = user_by_login(session, login)
        if user is not None and user.active and passwords.verify(user.password_hash, password):
            out.append(login)
    return out


