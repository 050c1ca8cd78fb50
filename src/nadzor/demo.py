"""Demo data for the embedded database: the real office tree, staff in every position, acting
assignments, zonal assignments (I.68) and demo users. DEMO ONLY: their passwords are public in
the README, and the production start refuses to run while any of them still works."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nadzor.accounts.service import Passwords, do_create_user, user_by_login
from nadzor.audit import service as audit
from nadzor.casework.tables import proceedings as proceedings_table
from nadzor.domain.accounts import User
from nadzor.domain.audit import AuditAction
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import Person
from nadzor.evaluations.service import CHECKLIST_ITEMS
from nadzor.infra.context import Actor
from nadzor.org.files import parse_csv
from nadzor.org.service import do_create_acting, do_create_person, do_create_zone, do_import_offices, office_by_code
from nadzor.org.tables import people

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


def load_demo(session: Session, *, actor: Actor, passwords: Passwords, today: date,
              calendar: WorkingCalendar | None = None, proceedings: bool = True) -> dict[str, Any]:
    """Fill an empty database with the demo organization and (unless `proceedings` is false) its
    proceedings, replayed on `calendar` (required with them). Refuses a database that has staff."""
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
    counts: dict[str, int] = {}
    if proceedings:
        if calendar is None:
            raise TypeError("load_demo: the demo proceedings need the calendar they are replayed on")
        counts = load_demo_proceedings(session, actor=actor, staff=staff, today=today, calendar=calendar)
    summary = {"loaded": True, "offices": offices, "people": len(staff), "users": len(DEMO_USERS),
               "proceedings": counts}
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


# ------------------------------------------------------------------------------ proceedings
# Demo proceedings (issue 8 §5, issue 9, issue 10): checks in every status across five district
# offices — suspended, extended, overdue relative to the demo's «today», closed — and acts (each
# linked to the check it came from: `details.origin`), evaluations and analyses in every status.
# Recorded step by step through `casework.service` (audited, equal to replay). The older lives
# are dated in the edition's window (2021–2022); the recent ones count back from «today» so that
# open deadlines and overdue marks show on the first start.

#: district office code, its staff's key prefix, its regional prosecutor's key
_DEMO_OFFICES: tuple[tuple[str, str, str], ...] = (
    ("almaty_city.medeu_district", "medeu", "alm_head"),
    ("almaty_city.bostandyk_district", "bost", "alm_head"),
    ("karaganda_region.temirtau_city", "tem", "kar_head"),
    ("karaganda_region.karaganda_city", "karc", "kar_head"),
    ("astana_city.esil_district", "yes", "ast_head"),
)
_SUBJECTS = (
    "ГУ «Управление образования»", "ГУ «Отдел занятости и социальных программ»",
    "КГП «Городская поликлиника № 3»", "ГУ «Отдел жилищной инспекции»", "ТОО «Жилстройсервис»",
    "ГУ «Управление здравоохранения»", "ГУ «Отдел земельных отношений»", "КГУ «Школа-гимназия № 12»",
    "ГУ «Управление по делам религий»", "ТОО «Теплокоммунэнерго»", "АО «Городские электрические сети»",
)
_CERTIFICATE = {"place": "по месту нахождения субъекта", "grounds": "постановление о производстве проверки",
                "topic": "соблюдение законодательства о правах социально уязвимых лиц",
                "general_info": "Общие сведения о субъекте и проверяемом периоде.",
                "legality_assessment": "Выявлены нарушения порядка рассмотрения обращений.",
                "causes_analysis": "Причины нарушений: ненадлежащий внутренний контроль.",
                "remedy_mechanism": "Предложены меры по устранению нарушений.",
                "conclusions": "Внести акт прокурорского надзора.", "signatures": ["Прокурор района"]}
_ACT_CONTENT = ["legal_essence", "norms", "consequences", "causes", "demand_elimination", "liability"]

Steps = list[dict[str, Any]]
DayOf = Callable[[int], str]  # offset in days from a life's first day → ISO date

#: (life, how it is dated): "recent:N" — its first day N days before «today»; "past:YYYY-MM-DD" —
#: in the edition's window. Every office gets seven check lives in turn, so each appears at least twice
#: and every office has a closed check (at 0 and 7) for its acts to come from.
_CHECK_LIVES: tuple[tuple[str, str], ...] = (
    ("closed", "past:2021-09-06"), ("in_progress_overdue", "recent:45"), ("suspended", "recent:30"),
    ("extended", "recent:28"), ("ended", "recent:40"), ("admissible", "recent:1"),
    ("gp_petition_pending", "recent:25"), ("business_closed", "past:2022-04-04"),
    ("in_progress", "recent:10"), ("resumed", "recent:25"), ("certificate_delivered", "recent:45"),
    ("registered", "recent:3"), ("resolution_signed", "recent:2"), ("awaiting_gp_petition", "recent:2"),
    ("petition_denied", "past:2021-11-01"), ("closed", "recent:70"),
)


def _check_life(name: str, d: DayOf) -> Steps:
    """A check's steps up to the life `name`. Signers: H the district prosecutor, R the regional
    prosecutor, G the Prosecutor General (people of the demo staff, resolved on the step's date)."""
    state_body: dict[str, Any] = {"type": "opened", "date": d(0), "subject_kind": "state_body",
                                  "basis": "protect_rights", "protected_interest": ["vulnerable_persons"],
                                  "control_body_failed": True}
    business = state_body | {"subject_kind": "business"}
    petition: Steps = [business, {"type": "gp_petition_sent", "date": d(1), "signer": "R"},
                       {"type": "gp_petition_received", "date": d(3)}]
    if name == "business_closed":  # the Prosecutor General's instruction, then a whole check 10 days on
        granted: dict[str, Any] = {"type": "gp_instruction", "date": d(9), "signer": "G", "granted": True}
        return [*petition, granted, *_check_life("closed", lambda n: d(n + 10))[1:]]
    signed: dict[str, Any] = {"type": "resolution_signed", "date": d(1), "signer": "H", "start_date": d(2),
                              "end_date": d(30)}
    registered: dict[str, Any] = {"type": "registered", "date": d(1), "number": f"{d(1)[:4]}-{d(1)[5:7]}{d(1)[8:]}-17"}
    started: Steps = [state_body, signed, registered, {"type": "started", "date": d(2)},
                      {"type": "delivered", "date": d(3), "acknowledged": True}]
    ended: Steps = [*started, {"type": "ended", "date": d(29)}]
    delivered: Steps = [*ended, {"type": "certificate_delivered", "date": d(31), "acknowledged": True}]
    suspended: Steps = [*started, {"type": "suspended", "date": d(10), "signer": "H", "ground": "expertise"}]
    both = ["legal_statistics_body", "subject"]
    lives: dict[str, Steps] = {
        "admissible": [state_body],
        "resolution_signed": [state_body, signed],
        "registered": [state_body, signed, registered],
        "in_progress": started,
        "in_progress_overdue": started,
        "suspended": suspended,
        "resumed": [*suspended, {"type": "notice_sent", "date": d(11), "step": 5, "recipients": both},
                    {"type": "resumed", "date": d(15), "signer": "H"},
                    {"type": "notice_sent", "date": d(16), "step": 7, "recipients": both}],
        "extended": [*started,
                     {"type": "extension_petitioned", "date": d(20), "signer": "H", "addressee": "regional_prosecutor"},
                     {"type": "extension_forwarded", "date": d(22), "signer": "R"},
                     {"type": "extended", "date": d(24), "signer": "G", "days": 15},
                     {"type": "notice_sent", "date": d(25), "step": 7, "recipients": ["legal_statistics_body"]}],
        "ended": ended,
        "certificate_delivered": [*delivered, {"type": "objection_received", "date": d(33)}],
        "closed": [*delivered, {"type": "decision", "date": d(33), "decision": "act"},
                   {"type": "closed", "date": d(34)}],
        "awaiting_gp_petition": [business],
        "gp_petition_pending": petition,
        "petition_denied": [*petition, {"type": "gp_instruction", "date": d(12), "signer": "G", "granted": False}],
    }
    return lives[name]


#: (life, dating, issued by the district office "D" or the regional office "R" to a central body)
_ACT_LIVES: tuple[tuple[str, str, str], ...] = (
    ("drafted", "recent:3", "D"), ("issued", "recent:12", "D"), ("answered", "recent:40", "D"),
    ("accepted", "past:2021-10-25", "D"), ("response_not_accepted", "recent:50", "D"),
    ("closed", "past:2021-10-18", "D"), ("superior_suspended", "recent:20", "D"), ("revoked", "past:2022-02-14", "D"),
    ("invalidated", "past:2022-06-06", "D"), ("awaiting_gpo", "recent:20", "R"), ("approved", "recent:35", "R"),
    ("not_issued", "past:2022-05-10", "R"), ("issued", "recent:60", "R"), ("closed", "recent:90", "D"),
)


def _act_life(name: str, d: DayOf, central: bool) -> Steps:
    """An act of supervision up to `name`, signed by S (a prosecutor of the issuing office, I.58–I.67)."""
    drafted: dict[str, Any] = {"type": "drafted", "date": d(0),
                               "act_type": "representation" if not central else "protest",
               "addressee_central_body": central, "content": list(_ACT_CONTENT)}
    if central:
        sent: Steps = [drafted, {"type": "sent_to_gpo", "date": d(1)}]
        lives_gpo: dict[str, Steps] = {
            "awaiting_gpo": sent,
            "approved": [*sent, {"type": "gpo_approved", "date": d(8)}],
            "not_issued": [*sent, {"type": "gpo_declined", "date": d(9)}],
            "issued": [*sent, {"type": "gpo_approved", "date": d(8)},
                       {"type": "issued", "date": d(10), "signer": "S", "response_due": d(40)},
                       {"type": "databank_entered", "date": d(11), "step": 3}],
        }
        return lives_gpo[name]
    issued: Steps = [drafted, {"type": "issued", "date": d(2), "signer": "S", "response_due": d(32)}]
    entered: Steps = [*issued, {"type": "databank_entered", "date": d(3), "step": 1}]
    kept: Steps = [*entered, {"type": "superior_decision", "date": d(5), "decision": "keep"}]
    answered: Steps = [*kept, {"type": "response_received", "date": d(25), "final": True}]
    reviewed: Steps = [*answered, {"type": "databank_entered", "date": d(26), "step": 4}]
    accepted: Steps = [*reviewed, {"type": "response_reviewed", "date": d(27), "agree": True}]
    lives: dict[str, Steps] = {
        "drafted": [drafted],
        "issued": issued,
        "answered": answered,
        "accepted": accepted,
        "response_not_accepted": [*reviewed, {"type": "response_reviewed", "date": d(28), "agree": False}],
        "closed": [*accepted, {"type": "execution_recorded", "date": d(29), "damage_recovered": 1_250_000,
                               "persons_liable": 2}, {"type": "closed", "date": d(30)}],
        "superior_suspended": [*entered, {"type": "superior_decision", "date": d(4), "decision": "suspend"}],
        "revoked": [*entered, {"type": "superior_decision", "date": d(6), "decision": "revoke"}],
        "invalidated": [*kept, {"type": "court_invalidated", "date": d(40)}],
    }
    return lives[name]


_EVALUATION_LIVES: tuple[tuple[str, str], ...] = (
    ("opened", "recent:20"), ("studying", "recent:15"), ("studied", "recent:12"), ("protested", "recent:30"),
    ("protest_rejected", "past:2022-03-14"), ("in_court", "past:2021-11-15"), ("closed", "past:2022-01-17"),
    ("transferred", "recent:40"), ("protested_suspended", "recent:18"), ("closed_granted", "past:2022-09-05"),
)


def _evaluation_life(name: str, d: DayOf) -> Steps:
    """An evaluation of an act up to `name` (R.24–R.32); R: the regional prosecutor suspends (R.30)."""
    opened: dict[str, Any] = {"type": "opened", "date": d(0), "context": "complaint",
              "act_kind": "normative" if name == "protested_suspended" else "individual"}
    requested: Steps = [opened, {"type": "act_requested", "date": d(1)}]
    received: Steps = [*requested, {"type": "act_received", "date": d(6)}]
    studied: Steps = [*received, {"type": "studied", "date": d(8), "violations": ["conformity", "competence"]}]
    protested: Steps = [*studied, {"type": "protest_issued", "date": d(9), "addressee": "adopting_body",
                                   "competent": True}]
    rejected: Steps = [*protested, {"type": "protest_decided", "date": d(25), "granted": False}]
    lives: dict[str, Steps] = {
        "opened": requested,
        "studying": received,
        "studied": studied,
        "protested": protested,
        "protested_suspended": [*protested, {"type": "act_suspended", "date": d(10), "signer": "R",
                                             "irreversible_consequences": True},
                                {"type": "published", "date": d(11)}],
        "protest_rejected": rejected,
        "in_court": [*rejected, {"type": "court_application", "date": d(30)}],
        "closed": [*received, {"type": "studied", "date": d(8), "violations": []},
                   {"type": "found_lawful", "date": d(9)}],
        "closed_granted": [*protested, {"type": "protest_decided", "date": d(20), "granted": True}],
        "transferred": [*received, {"type": "studied", "date": d(8), "violations": ["competence"]},
                        {"type": "transferred", "date": d(10)}],
    }
    return lives[name]


def _evaluation_protest(day: str, d: DayOf) -> Steps:
    """The protest an evaluation issued (R.27–R.29): drafted and issued the day of `protest_issued`."""
    return [{"type": "drafted", "date": day, "act_type": "protest", "addressee_central_body": False,
             "content": list(_ACT_CONTENT)},
            {"type": "issued", "date": day, "signer": "S", "response_due": d(39)},
            {"type": "databank_entered", "date": d(10), "step": 1}]


def _checklist(studied: dict[str, Any]) -> list[dict[str, Any]]:
    """The R.26 study of the act: each item with its finding (a violation where `studied` found one)."""
    found = set(studied.get("violations") or [])
    return [{"item": item, "finding": "violates" if item in found else "conforms",
             "note": "Нарушение установлено, см. материалы изучения" if item in found else ""}
            for item in CHECKLIST_ITEMS]


_ANALYSIS_LIVES: tuple[tuple[str, str], ...] = (
    ("in_progress", "recent:25"), ("extended", "recent:35"), ("ended", "recent:40"), ("closed", "past:2021-11-19"),
    ("closed_business", "past:2022-05-16"), ("in_progress", "recent:5"), ("ended", "past:2022-10-03"),
)


def _analysis_life(name: str, d: DayOf) -> Steps:
    """An analysis of the state of legality up to `name` (R.3–R.23, I.67)."""
    opened: dict[str, Any] = {"type": "opened", "date": d(0), "via": "rapport", "signer": "H", "basis": "monitoring"}
    requested: Steps = [opened, {"type": "info_requested", "date": d(3), "addressee": "state_body"}]
    ended: Steps = [*requested, {"type": "info_received", "date": d(10), "step": 1}, {"type": "ended", "date": d(25)},
             {"type": "certificate_sent", "date": d(26)}]
    lives: dict[str, Steps] = {
        "in_progress": requested,
        "extended": [*requested, {"type": "info_received", "date": d(12), "step": 1},
                     {"type": "extended", "date": d(26), "signer": "R", "days": 15}],
        "ended": ended,
        "closed": [*ended, {"type": "decision", "date": d(28), "decision": "requirement", "target": "state_body",
                            "signer": "H"}, {"type": "closed", "date": d(29)}],
        "closed_business": [*ended, {"type": "decision", "date": d(28), "decision": "requirement",
                                     "target": "business", "signer": "R", "concrete_harm_fact": True},
                            {"type": "databank_entered", "date": d(29), "step": 5},
                            {"type": "decision", "date": d(30), "decision": "act"}, {"type": "closed", "date": d(31)}],
        # R.19 p. 4, R.23: a petition to the Prosecutor General (its check opened from it, below)
        "petition": [*ended, {"type": "decision", "date": d(28), "decision": "gp_petition", "signer": "R"}],
        # R.19 p. 5: materials registered in the КУИ (the register's rows, below)
        "kui": [*ended, {"type": "decision", "date": d(28), "decision": "kui_registration"},
                {"type": "closed", "date": d(29)}],
    }
    return lives[name]


#: Lives recorded once, for the first demo office: a petition with its linked check, a КУИ registration.
_EXTRA_ANALYSIS_LIVES: tuple[tuple[str, str], ...] = (("petition", "recent:40"), ("kui", "recent:45"))
_ANALYSIS_TOPIC = "Соблюдение законодательства о государственных закупках"
#: R.18: the certificate's four parts (its date: the `ended` step's).
_ANALYSIS_CERTIFICATE = {
    "topic": _ANALYSIS_TOPIC, "findings": "Установлены нарушения сроков оплаты по 12 договорам.",
    "statistics": "Изучено 40 договоров на сумму 210 млн тенге; нарушения — в 12 (30 %).",
    "conclusions": "Состояние законности в сфере закупок неудовлетворительное.",
    "causes": "Слабый внутренний контроль заказчиков, отсутствие ответственности должностных лиц.",
    "proposals": "Внести представление; предложить изменения в правила осуществления закупок.",
}
_DECISION_DETAILS: dict[str, dict[str, str]] = {
    "requirement": {"authority_name": "Департамент внутреннего государственного аудита",
                    "subject_name": "ГУ «Отдел государственных закупок»",
                    "justification": "Нарушения носят системный характер и затрагивают бюджетные средства."},
    "gp_petition": {"subject_name": "ТОО «Жилстройсервис»",
                    "justification": "Угроза жизни и здоровью жильцов обслуживаемых домов.",
                    "violations": "Нарушения требований безопасности при эксплуатации лифтов.",
                    "measures": "Уполномоченный орган ограничился предупреждением."},
}


def _rapport(day: str) -> dict[str, Any]:
    """R.11: the rapport an analysis is opened on — its date, author, subject, grounds, period and term."""
    year = int(day[:4]) - 1
    return {"topic": _ANALYSIS_TOPIC, "rapport_date": day, "rapport_author": "Прокурор района",
            "grounds": "Сведения о нарушениях сроков оплаты по договорам государственных закупок.",
            "period_from": f"{year}-01-01", "period_to": f"{year}-12-31", "term_days": 30}


def _analysis_step_details(steps: Steps) -> dict[int, dict[str, Any]]:
    """What the analysis's steps hold besides their contract fields: the certificate (R.18), the
    requirement's and the petition's details (R.21–23)."""
    out: dict[int, dict[str, Any]] = {}
    for i, step in enumerate(steps):
        if step["type"] == "ended":
            year = int(step["date"][:4]) - 1
            out[i] = _ANALYSIS_CERTIFICATE | {"period_from": f"{year}-01-01", "period_to": f"{year}-12-31"}
        elif step["type"] == "decision" and step["decision"] in _DECISION_DETAILS:
            out[i] = dict(_DECISION_DETAILS[step["decision"]])
            if step["decision"] == "gp_petition":
                out[i]["subject_bin_iin"] = demo_bin(900 + i)
    return out


def demo_bin(n: int) -> str:
    """A 12-digit BIN with a valid check digit (RULES.md), different for each `n`."""
    while True:
        digits = [int(ch) for ch in f"{210_440_000_000 + n * 7:011d}"[-11:]]
        c = sum(d * (i + 1) for i, d in enumerate(digits)) % 11
        if c == 10:
            c = sum(d * w for d, w in zip(digits, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)) % 11
        if c != 10:
            return "".join(map(str, digits)) + str(c)
        n += 1_000


def _subject_details(subject: str, city: str, n: int) -> dict[str, Any]:
    return {"subject_name": subject, "subject_location": f"г. {city}", "subject_bin_iin": demo_bin(n),
            "protected_interests": "права социально уязвимых лиц"}


def _resolution_details(day: str, n: int, assignees: list[int]) -> dict[str, Any]:
    """The parts of a resolution on a check (I.13) besides the step's own fields."""
    year = int(day[:4])
    return {"number": f"{n}-П", "topic": "соблюдение законодательства о правах социально уязвимых лиц",
            "period_from": f"{year - 1}-01-01", "period_to": f"{year - 1}-12-31", "assignees": assignees,
            "subject_rights_duties": "Права и обязанности проверяемого субъекта — ст. 6 Закона «О прокуратуре»."}


def demo_anchor(today: date, calendar: WorkingCalendar) -> date:
    """The day the recent demo lives count back from: «today», kept far enough inside the calendar's
    covered years that every date a demo step or field names (up to 30 days later) can be replayed."""
    return min(today, calendar.coverage_end - timedelta(days=31))


def _dater(when: str, anchor: date, jitter: int) -> DayOf:
    how, _, value = when.partition(":")
    first = anchor - timedelta(days=int(value) + jitter) if how == "recent" else \
        date.fromisoformat(value) + timedelta(days=17 * jitter)
    return lambda n: (first + timedelta(days=n)).isoformat()


def load_demo_proceedings(session: Session, *, actor: Actor, staff: dict[str, Person], today: date,
                          calendar: WorkingCalendar) -> dict[str, int]:
    """Record the demo proceedings step by step through the service (audited, equal to replay).
    Returns how many of each collection were stored."""
    from nadzor.casework.importing import do_import

    anchor = demo_anchor(today, calendar)
    counts = {"checks": 0, "acts": 0, "evaluations": 0, "analyses": 0}
    codes: dict[int, str] = {}
    closed_checks: dict[str, list[dict[str, Any]]] = {}
    analyses_made: list[tuple[int, str, dict[str, Any], Steps]] = []

    def person(key: str) -> int:
        found = staff[key].id
        assert found is not None, key
        return found

    def record(collection: str, office: int, steps: Steps, signers: dict[str, str],
               details: dict[str, Any], step_details: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
        posted: Steps = []
        for step in steps:
            step = dict(step)
            for field in ("signer", "group_leader"):
                if isinstance(step.get(field), str):
                    step[f"{field}_person_id"] = person(signers[step.pop(field)])
            posted.append(step)
        line = {"office_code": codes[office], "steps": posted, "details": details,
                "step_details": [None if i == 0 else (step_details or {}).get(i) for i in range(len(posted))]}
        done = do_import(session, collection, [(counts[collection] + 1, line)], actor=actor, calendar=calendar)
        counts[collection] += 1
        row = session.execute(select(proceedings_table.c.id, proceedings_table.c.number, proceedings_table.c.status)
                              .where(proceedings_table.c.id == done["ids"][0])).one()
        return {"id": row.id, "number": row.number, "status": row.status}

    subjects = iter(_SUBJECTS * 20)
    for number, (code, prefix, regional) in enumerate(_DEMO_OFFICES):
        office = office_by_code(session, code)
        assert office is not None and office.id is not None, code
        codes[office.id] = code
        signers = {"H": f"{prefix}_head", "R": regional, "G": "gp", "S": f"{prefix}_head"}
        turns = [_CHECK_LIVES[(number * 7 + turn) % len(_CHECK_LIVES)] for turn in range(7)]
        if prefix == "tem" and anchor == today:  # the deputy acts for the head around «today» (see above)
            turns.append(("acting", "recent:3"))
        for life, when in turns:
            steps = _check_life("registered" if life == "acting" else life, _dater(when, anchor, number))
            who = signers | {"H": "tem_deputy"} if life == "acting" else signers
            subject = next(subjects)
            delivered = next((i for i, s in enumerate(steps) if s["type"] == "certificate_delivered"), None)
            more: dict[int, dict[str, Any]] = {} if delivered is None else {
                delivered: {"certificate": _CERTIFICATE | {"date": steps[delivered]["date"], "subject_name": subject}}}
            signed = next((i for i, s in enumerate(steps) if s["type"] == "resolution_signed"), None)
            if signed is not None:  # what the resolution states (I.13); its assignees conduct the check (I.15)
                more[signed] = _resolution_details(steps[signed]["date"], counts["checks"] + 1,
                                                   [person(f"{prefix}_prosecutor"), person(f"{prefix}_deputy")])
            item = record("checks", office.id, steps, who, _subject_details(subject, office.city, counts["checks"]),
                          more)
            if item["status"] == "closed":
                closed_checks.setdefault(code, []).append(item)
        regional_office = office_by_code(session, code.split(".")[0])
        assert regional_office is not None and regional_office.id is not None
        codes[regional_office.id] = regional_office.code
        for turn in range(3):
            life, when, where = _ACT_LIVES[(number * 3 + turn) % len(_ACT_LIVES)]
            central = where == "R"
            d = _dater(when, anchor, number)
            origins = closed_checks.get(code, [])
            origin: dict[str, Any] = {"kind": "direct"}
            if origins:  # the act comes from a closed check's `act` decision (I.24)
                origin = {"kind": "check", "id": origins[turn % len(origins)]["id"]}
            act_signers = {"S": regional if central else f"{prefix}_head"}
            record("acts", regional_office.id if central else office.id, _act_life(life, d, central), act_signers,
                   {"origin": origin, "addressee_name": next(subjects)})
        for turn in range(2):
            life, when = _EVALUATION_LIVES[(number * 2 + turn) % len(_EVALUATION_LIVES)]
            d = _dater(when, anchor, number)
            steps = _evaluation_life(life, d)
            more = {i: {"checklist": _checklist(s)} for i, s in enumerate(steps) if s["type"] == "studied"}
            more |= {i: {"target_office_id": regional_office.id} for i, s in enumerate(steps)
                     if s["type"] == "transferred"}  # R.28: to the competent (regional) prosecutor
            more |= {i: {"court": f"Специализированный межрайонный административный суд ({office.city})",
                         "procedure_code": "АППК", "demands": "Признать решение акимата незаконным."}
                     for i, s in enumerate(steps) if s["type"] == "court_application"}  # R.31
            evaluation = record("evaluations", office.id, steps, signers,
                                {"act_title": f"Решение акимата района № {40 + number * 2 + turn}",
                                 "adopting_body": "Акимат района"}, more)
            protest = next((s for s in steps if s["type"] == "protest_issued"), None)
            if protest is not None:  # its protest is an act of its own, linked to it (R.27–R.29)
                record("acts", office.id, _evaluation_protest(protest["date"], d), {"S": f"{prefix}_head"},
                       {"origin": {"kind": "evaluation", "id": evaluation["id"]}, "addressee_name": "Акимат района",
                        "addressee": protest["addressee"], "competent": protest["competent"],
                        "protested_act": f"Решение акимата района № {40 + number * 2 + turn}"})
        lives = [_ANALYSIS_LIVES[(number * 2 + turn) % len(_ANALYSIS_LIVES)]
                 for turn in ((0, 1) if number < 2 else (0,))]
        for life, when in [*lives, *(_EXTRA_ANALYSIS_LIVES if number == 0 else ())]:
            steps = _analysis_life(life, _dater(when, anchor, number))
            item = record("analyses", office.id, steps, signers, _rapport(steps[0]["date"]),
                          _analysis_step_details(steps))
            analyses_made.append((office.id, life, item, steps))
    _analysis_extras(session, actor=actor, staff=staff, made=analyses_made, today=today, calendar=calendar)
    counts["checks"] += sum(1 for *_rest, life, _item, _steps in analyses_made if life == "petition")
    return counts


def _analysis_extras(session: Session, *, actor: Actor, staff: dict[str, Person],
                     made: list[tuple[int, str, dict[str, Any], Steps]], today: date,
                     calendar: WorkingCalendar) -> None:
    """Around the demo analyses (issue 10): the sources checklist of each (R.12), the check opened from
    the petition (R.23), the КУИ rows with a transfer and the monthly reconciliations (R.19–20), the
    directory of organizations (R.13–14), and a plan of the Almaty office with items done, in
    progress and not yet started (R.11)."""
    from nadzor.analyses import details as analysis_details
    from nadzor.analyses import service as analyses
    from nadzor.casework import service as stored

    used = {"statistics", "budget", "state_body_information", "information_systems", "previous_checks"}
    for _office, _life, item, _steps in made:
        if item["status"] == "closed":
            continue  # a closed analysis's record is final (its checklist is entered while it runs)
        analysis_details.do_record_sources(session, item["id"], {"sources": [
            {"code": code, "used": code in used, "note": "данные за отчётный год" if code in used else ""}
            for code in analysis_details.SOURCES]}, actor=actor)
    for office_id, life, item, steps in made:
        decision = len(steps) - 1 if life == "petition" else next(
            (i for i, s in enumerate(steps) if s.get("decision") == "kui_registration"), None)
        if life == "petition":
            prefill = analysis_details.petition_prefill(session, item["id"], len(steps) - 1, actor=actor)
            stored.do_open(session, "checks", {"office_id": office_id, "details": {
                "subject_name": prefill["subject_name"], "subject_bin_iin": prefill["bin_iin"],
                "origin_analysis": {"id": item["id"], "step": prefill["step"]}}, "step": {
                "type": "opened", "date": prefill["date"], "subject_kind": "business", "basis": "protect_rights",
                "protected_interest": ["indefinite_circle"]}}, actor=actor, calendar=calendar)
        elif life == "kui" and decision is not None:
            day = steps[decision]["date"]
            kui = analyses.do_register_kui(session, {
                "proceeding_id": item["id"], "step": decision, "number": f"КУИ-{day[:4]}-{item['id']}",
                "registered_on": day, "summary": "Сведения о хищении бюджетных средств при закупках"},
                actor=actor, today=today)
            analyses.do_transfer_kui(session, kui["id"], {
                "version": kui["version"], "transferred_to": "Департамент экономических расследований",
                "transferred_on": min(date.fromisoformat(day) + timedelta(days=3), today).isoformat()},
                actor=actor, today=today)
            for back in (2, 1):
                month = (today.replace(day=1) - timedelta(days=1)) if back == 1 else \
                    ((today.replace(day=1) - timedelta(days=1)).replace(day=1) - timedelta(days=1))
                analyses.do_record_reconciliation(session, {
                    "office_id": office_id, "year": month.year, "month": month.month,
                    "reconciled_with": "Департамент экономических расследований",
                    "reconciled_by": staff["medeu_prosecutor"].full_name,
                    "reconciled_on": min(month + timedelta(days=5), today).isoformat(),
                    "discrepancies": "" if back == 1 else "Не поступило заключение по материалу КУИ-1"},
                    actor=actor, today=today)
    for name, number, kind in (("Акимат города Алматы", 1, "state_body"),
                               ("АО «Фонд национального благосостояния «Самрук-Казына»", 2, "quasi_state"),
                               ("ТОО «Жилстройсервис»", 3, "private_business")):
        analyses.do_create_organization(session, {"name": name, "bin": demo_bin(700 + number), "kind": kind,
                                                  "address": "г. Алматы"}, actor=actor)
    head = staff["alm_head"]
    office = head.office_id
    assert office is not None and head.id is not None
    year = today.year
    plan = analyses.do_create_plan(session, {"office_id": office, "year": year}, actor=actor, today=today)
    topics = ("Соблюдение прав предпринимателей при проверках", "Законность расходования бюджетных средств",
              "Защита прав детей-сирот", "Исполнение законодательства о недропользовании")
    quarter_now = (today.month - 1) // 3 + 1
    for n, topic in enumerate(topics):
        plan = analyses.do_add_plan_item(session, plan["id"], {
            "version": plan["version"], "topic": topic, "quarter": min(4, max(1, quarter_now - 1 + n)),
            "responsible_person_id": staff["alm_pros"].id}, actor=actor, today=today)
    approved_on = date(year, 1, 1) if today > date(year, 1, 15) else today
    plan = analyses.do_approve_plan(session, plan["id"], {"version": plan["version"], "person_id": head.id,
                                                          "date": approved_on.isoformat()}, actor=actor, today=today)
    opened_on = max(approved_on, today - timedelta(days=10))
    analyses.do_open_item_analysis(session, plan["id"], plan["items"][1]["id"], {
        "step": {"date": opened_on.isoformat(), "basis": "monitoring"}}, actor=actor, calendar=calendar,
        today=today)
