"""Analyses (issue 10) around the stored proceedings of kind `analysis`: plans of analyses (R.11) whose
items open their analyses, the directory of organizations information is requested from (R.13–14), the
КУИ register with its monthly reconciliation (R.19 p. 5, R.20), and the periodic obligations (R.5–9,
I.46, I.64, I.70) with the reports that fulfil them.

Naming as in the rest of the service layer: `access_*` read with a permission check, `check_*`
validate, `do_*` change in the caller's transaction with an audit row.
"""

from __future__ import annotations

import calendar as month_calendar
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, Literal

from pydantic import Field
from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nadzor import rules
from nadzor.analyses.tables import (
    analysis_plan_items,
    analysis_plans,
    kui_materials,
    kui_reconciliations,
    organizations,
    periodic_reports,
)
from nadzor.audit import service as audit
from nadzor.casework import service as stored
from nadzor.casework.service import Refused
from nadzor.casework.tables import proceeding_steps
from nadzor.casework.tables import proceedings as proceedings_table
from nadzor.domain.audit import AuditAction
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import POSITION_LABELS, Office, Person
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import Conflict, InvalidInput, Message, NotFound
from nadzor.infra.policy import scope_condition
from nadzor.org.service import authority_of, parse
from nadzor.org.service import cached_tree as tree
from nadzor.org.tables import offices, people
from nadzor.proceedings.analysis import PLAN_APPROVERS
from nadzor.rules.base import Input, Listing, PlainDate
from nadzor.rules.instruction.checks import bin_iin_valid

ID = Field(strict=True, ge=1, le=2**63 - 1)
YEAR = Field(strict=True, ge=2018, le=2100)
OptID = Field(default=None, strict=True, ge=1, le=2**63 - 1)

ITEM_STATUSES = {"planned": "запланирован", "in_progress": "анализ проводится", "overdue": "просрочен",
                 "done": "выполнен"}
ORGANIZATION_KINDS = {"state_body": "государственный орган", "quasi_state": "субъект квазигосударственного сектора",
                      "private_business": "субъект частного предпринимательства"}
#: The kind of periodic obligations (the rule's `office_kind`) by the kind of office; environmental and
#: specialized interdistrict offices have none under R.5–9 (those paragraphs name the territorial,
#: military and transport prosecutors).
OBLIGATION_PLANS = {"territorial": "territorial", "military": "military", "transport": "transport"}
#: I.70: the passport of the region is kept and sent by the prosecutor of a region (regional level).
REGION_PASSPORT = "I70.region_passport"
OBLIGATION_LABELS: dict[str, str] = {
    "R5.entrepreneurs": "Защита прав предпринимателей",
    "R6.budget": "Законность и эффективность расходования бюджетных средств",
    "R6.procurement": "Закуп товаров, работ и услуг",
    "R6.tax": "Применение налогового законодательства",
    "R6.environment": "Экологическое законодательство, чрезвычайные ситуации, ООПТ, недропользование",
    "R7.adoption": "Усыновление детей-сирот и детей, оставшихся без попечения родителей",
    "R7.behaviour": "Работа с детьми с особенностями поведения",
    "R7.disabilities": "Защита прав детей с ограниченными возможностями",
    "I46.admin_termination": "Практика прекращения производства по делам об административных правонарушениях",
    "I64.invalidated_acts": "Причины признания актов и требований недействительными",
    REGION_PASSPORT: "Паспорт региона и информация о состоянии законности",
    "R8.1": "Боевая подготовка и материально-техническое обеспечение войск",
    "R8.2": "Оборот военного имущества, оружия и боеприпасов",
    "R8.3": "Противодействие экстремизму и терроризму",
    "R8.4": "Прохождение воинской службы",
    "R8.5": "Охрана Государственной границы и миграция",
    "R8.6": "Государственный оборонный заказ и закупки",
    "R8.7": "Мобилизационная подготовка и мобилизация",
    "R8.8": "Сохранность военного имущества и нормы довольствия",
    "R8.9": "Социальная защита военнослужащих и членов их семей",
    "R8.10": "Профилактика правонарушений, гибели и травматизма",
    "R9.1": "Безопасность на транспорте",
    "R9.2": "Права пассажиров, предпринимателей и потребителей транспортных услуг",
    "R9.3": "Закуп товаров, работ и услуг",
    "R9.4": "Таможенное законодательство",
}


#: The reporting calendar's note for an office without periodic obligations.
NO_OBLIGATIONS = ("Для этой прокуратуры периодическая информация пунктами 5–9 Правил и пунктами 46, 64, 70 "
                  "Инструкции не установлена")


def _office(session: Session, actor: Actor, office_id: int, field: str = "office_id") -> Office:
    office = session.get(Office, office_id)
    if office is None or not actor.sees_office(office.id):
        raise InvalidInput.one(field, Message("нет прокуратуры %(id)s в пределах ваших полномочий", id=office_id))
    return office


def _insert(session: Session, statement: Any) -> Any:
    """Insert a row whose uniqueness was checked before: a concurrent writer that got there first
    (the unique constraint) is a conflict, and the caller's transaction is rolled back."""
    try:
        return session.execute(statement)
    except IntegrityError:
        raise Conflict.concurrent() from None


def _person_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(people.c.id, people.c.full_name).where(people.c.id.in_(sorted(ids)))).all()
    return {r.id: r.full_name for r in rows}


def _quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, month_calendar.monthrange(year, month)[1])


def _analysis(session: Session, actor: Actor, analysis_id: int, field: str) -> Row[Any]:
    row = session.execute(select(proceedings_table).where(proceedings_table.c.id == analysis_id,
                                                          proceedings_table.c.kind == "analysis")).first()
    if row is None or not actor.sees_office(row.office_id):
        raise InvalidInput.one(field, Message("нет анализа %(id)s в пределах ваших полномочий", id=analysis_id))
    return row


# ===================================================================================== plans


class PlanIn(Input):
    office_id: int = ID
    year: int = YEAR
    quarter: int | None = Field(default=None, strict=True, ge=1, le=4)
    title: str = Field(default="", max_length=300)


class PlanItemIn(Input):
    version: int = ID
    topic: str = Field(min_length=1, max_length=500)
    responsible_person_id: int = ID
    quarter: int = Field(strict=True, ge=1, le=4)


class PlanApprovalIn(Input):
    version: int = ID
    person_id: int = ID
    date: PlainDate


class OpenItemIn(Input):
    step: dict[str, Any]
    details: dict[str, Any] | None = None


def _plan_row(session: Session, actor: Actor, plan_id: int, *, lock: bool = False) -> Row[Any]:
    query = select(analysis_plans).where(analysis_plans.c.id == plan_id)
    if lock:
        query = query.with_for_update()
    row = session.execute(query).first()
    if row is None or not actor.sees_office(row.office_id):
        raise NotFound(Message("%(what)s %(id)s", what=Message("план анализов"), id=plan_id))
    return row


def _plan_title(year: int, quarter: int | None) -> str:
    return f"План анализов на {quarter}-й квартал {year} года" if quarter else f"План анализов на {year} год"


def item_status(quarter_end: date, analysis_status: str | None, today: date) -> str:
    """Done: its analysis is closed; overdue: the quarter has ended and it is not; in progress: its analysis
    is open; planned: nothing yet and the quarter has not ended."""
    if analysis_status == "closed":
        return "done"
    if quarter_end < today:
        return "overdue"
    return "in_progress" if analysis_status is not None else "planned"


def _items(session: Session, plan_ids: list[int]) -> dict[int, list[Row[Any]]]:
    i, p = analysis_plan_items, proceedings_table
    rows = session.execute(
        select(i, p.c.number.label("analysis_number"), p.c.status.label("analysis_status"))
        .select_from(i.outerjoin(p, p.c.id == i.c.analysis_id))
        .where(i.c.plan_id.in_(plan_ids or [-1])).order_by(i.c.quarter, i.c.id)).all()
    out: dict[int, list[Row[Any]]] = {}
    for row in rows:
        out.setdefault(row.plan_id, []).append(row)
    return out


def plan_dict(session: Session, row: Row[Any], items: list[Row[Any]], today: date) -> dict[str, Any]:
    names = _person_names(session, {r.responsible_person_id for r in items} | (
        {row.approved_by_person_id} if row.approved_by_person_id else set()))
    office = session.get(Office, row.office_id)
    out_items = []
    counts = dict.fromkeys(ITEM_STATUSES, 0)
    for item in items:
        status = item_status(_quarter_end(row.year, item.quarter), item.analysis_status, today)
        counts[status] += 1
        out_items.append({
            "id": item.id, "topic": item.topic, "quarter": item.quarter,
            "responsible_person_id": item.responsible_person_id,
            "responsible_name": names.get(item.responsible_person_id, ""),
            "analysis_id": item.analysis_id, "analysis_number": item.analysis_number,
            "analysis_status": item.analysis_status, "status": status, "status_label": ITEM_STATUSES[status]})
    approver = None
    if row.approved_by_person_id is not None:
        approver = {"person_id": row.approved_by_person_id, "full_name": names.get(row.approved_by_person_id, ""),
                    **(row.approver or {})}
    return {"id": row.id, "office_id": row.office_id, "office_name": office.name_ru if office else "",
            "year": row.year, "quarter": row.quarter, "title": row.title, "approved": row.approved_on is not None,
            "approved_on": row.approved_on.isoformat() if row.approved_on else None, "approver": approver,
            "version": row.version, "items": out_items, "counts": counts}


def access_plan(session: Session, plan_id: int, *, actor: Actor, today: date) -> dict[str, Any]:
    actor.require(Permission.SIGNED_IN)
    row = _plan_row(session, actor, plan_id)
    return plan_dict(session, row, _items(session, [row.id]).get(row.id, []), today)


def access_plans(session: Session, *, actor: Actor, today: date, office_id: int | None = None,
                 year: int | None = None) -> list[dict[str, Any]]:
    actor.require(Permission.SIGNED_IN)
    t = analysis_plans
    where: list[Any] = []
    where.append(scope_condition(actor, t.c.office_id))
    if office_id is not None:
        where.append(t.c.office_id == office_id)
    if year is not None:
        where.append(t.c.year == year)
    rows = session.execute(select(t).where(*where).order_by(t.c.year.desc(), t.c.quarter, t.c.id)).all()
    items = _items(session, [r.id for r in rows])
    return [plan_dict(session, r, items.get(r.id, []), today) for r in rows]


PLAN_HEADERS = ("План", "Прокуратура", "Утверждён", "Квартал", "Тема (предмет) анализа", "Ответственный",
                "Анализ", "Состояние")


def plans_table(session: Session, *, actor: Actor, today: date, office_id: int | None = None,
                year: int | None = None) -> list[tuple[str, ...]]:
    """The plans in scope, one row per item, with its state as on the plan page (dates dd.mm.yyyy)."""
    rows: list[tuple[str, ...]] = [PLAN_HEADERS]
    for plan in access_plans(session, actor=actor, today=today, office_id=office_id, year=year):
        for item in plan["items"]:
            rows.append((plan["title"], plan["office_name"], _ru(plan["approved_on"]), str(item["quarter"]),
                         item["topic"], item["responsible_name"], item["analysis_number"] or "",
                         item["status_label"]))
    return rows


def _ru(day: str | None) -> str:
    return date.fromisoformat(day).strftime("%d.%m.%Y") if day else ""


def do_create_plan(session: Session, data: Any, *, actor: Actor, today: date) -> dict[str, Any]:
    actor.require(Permission.RECORD)
    cmd: PlanIn = parse(PlanIn, data)
    office = _office(session, actor, cmd.office_id)
    now = audit.now_utc()
    title = cmd.title.strip() or _plan_title(cmd.year, cmd.quarter)
    pid = session.execute(insert(analysis_plans).values(
        office_id=office.id, year=cmd.year, quarter=cmd.quarter, title=title, created_by=actor.login,
        created_at=now, version=1).returning(analysis_plans.c.id)).scalar_one()
    audit.record(session, actor=actor, action=AuditAction.PLAN_CREATED, object_type="analysis_plan", object_id=pid,
                 after={"office_id": office.id, "year": cmd.year, "quarter": cmd.quarter, "title": title})
    return access_plan(session, pid, actor=actor, today=today)


def _check_plan_version(row: Row[Any], expected: int) -> None:
    if row.version != expected:
        raise Conflict.versions("План анализов", expected, row.version)


def do_add_plan_item(session: Session, plan_id: int, data: Any, *, actor: Actor, today: date) -> dict[str, Any]:
    """An item of a plan not yet approved: topic, the responsible prosecutor of the plan's office, quarter
    (the plan's own quarter for a quarterly plan)."""
    actor.require(Permission.RECORD)
    cmd: PlanItemIn = parse(PlanItemIn, data)
    row = _plan_row(session, actor, plan_id, lock=True)
    _check_plan_version(row, cmd.version)
    if row.approved_on is not None:
        raise Refused("plan_approved", ["R.11"], "План уже утверждён: пункты вносятся до его утверждения")
    if row.quarter is not None and cmd.quarter != row.quarter:
        raise InvalidInput.one("quarter", Message("план составлен на %(quarter)s-й квартал: пункт "
                                                  "относится к нему же", quarter=row.quarter))
    person = session.get(Person, cmd.responsible_person_id)
    if person is None or person.office_id != row.office_id:
        raise InvalidInput.one("responsible_person_id", "ответственный — сотрудник прокуратуры, составившей план")
    item_id = session.execute(insert(analysis_plan_items).values(
        plan_id=row.id, topic=cmd.topic.strip(), responsible_person_id=person.id, quarter=cmd.quarter)
        .returning(analysis_plan_items.c.id)).scalar_one()
    session.execute(update(analysis_plans).where(analysis_plans.c.id == row.id).values(version=row.version + 1))
    audit.record(session, actor=actor, action=AuditAction.PLAN_ITEM_ADDED, object_type="analysis_plan",
                 object_id=row.id, after={"item_id": item_id, "topic": cmd.topic.strip(),
                                          "responsible_person_id": person.id, "quarter": cmd.quarter})
    return access_plan(session, row.id, actor=actor, today=today)


def do_approve_plan(session: Session, plan_id: int, data: Any, *, actor: Actor, today: date) -> dict[str, Any]:
    """R.11: the plan is approved by the Prosecutor General, a deputy, the prosecutor of a region or a
    deputy, or a person acting for one of them — of the plan's office or an office above it — through
    the person's authority on the approval date, frozen."""
    actor.require(Permission.RECORD)
    cmd: PlanApprovalIn = parse(PlanApprovalIn, data)
    row = _plan_row(session, actor, plan_id, lock=True)
    _check_plan_version(row, cmd.version)
    if row.approved_on is not None:
        raise Refused("plan_approved", ["R.11"], "План уже утверждён")
    count = session.execute(select(func.count()).select_from(analysis_plan_items)
                            .where(analysis_plan_items.c.plan_id == row.id)).scalar_one()
    if count == 0:
        raise InvalidInput.one("items", "в плане нет ни одного пункта")
    if cmd.date > today:
        raise InvalidInput.one("date", "дата утверждения ещё не наступила")
    person = session.get(Person, cmd.person_id)
    if person is None or person.office_id not in tree(session).chain(row.office_id):
        raise InvalidInput.one("person_id", "утверждает руководитель прокуратуры, составившей план, либо "
                                            "вышестоящей прокуратуры")
    auth = authority_of(session, person, cmd.date)
    signers = auth.signers()
    chosen = next((s for s in signers if (s.get("acting_for") or s["position"]) in PLAN_APPROVERS), None)
    if chosen is None:
        allowed = Listing(POSITION_LABELS[p] for p in sorted(PLAN_APPROVERS))
        raise Refused("signer_not_allowed", ["R.11"], Message(
            "%(person)s на %(date)s не вправе утверждать план анализов; утверждают: %(allowed)s либо лица, их "
            "замещающие (п. 11 Правил)", person=person.full_name, date=cmd.date.strftime("%d.%m.%Y"), allowed=allowed))
    approver = {"position": chosen["position"], **({"acting_for": chosen["acting_for"]}
                                                  if chosen.get("acting_for") else {})}
    session.execute(update(analysis_plans).where(analysis_plans.c.id == row.id).values(
        approved_by_person_id=person.id, approved_on=cmd.date, approver=approver, version=row.version + 1))
    audit.record(session, actor=actor, action=AuditAction.PLAN_APPROVED, object_type="analysis_plan",
                 object_id=row.id, after={"person_id": person.id, "date": cmd.date.isoformat(), **approver})
    return access_plan(session, row.id, actor=actor, today=today)


def plan_approver_candidates(session: Session, office_id: int) -> list[dict[str, Any]]:
    """Who may be chosen to approve a plan of the office: the staff of the office and of the offices
    above it (whether they may, on the approval date, is decided by `do_approve_plan`)."""
    chain = tree(session).chain(office_id)
    rows = session.execute(select(people).where(people.c.office_id.in_(chain), people.c.active.is_(True))
                           .order_by(people.c.office_id, people.c.full_name)).all()
    return [{"id": r.id, "full_name": r.full_name, "position": r.position,
             "position_label": POSITION_LABELS[r.position]} for r in rows]


_SET_BY_PLAN = ("type", "via", "signer_person_id", "signer")


def do_open_item_analysis(session: Session, plan_id: int, item_id: int, data: Any, *, actor: Actor,
                          calendar: Any, today: date) -> dict[str, Any]:
    """R.11: an item of an approved plan opens its analysis — the stored proceeding's first step
    `opened` via `plan`, signed by the plan's approver; `details.plan_item_id` links it back."""
    actor.require(Permission.RECORD)
    cmd: OpenItemIn = parse(OpenItemIn, data)
    row = _plan_row(session, actor, plan_id)
    item = session.execute(select(analysis_plan_items).where(analysis_plan_items.c.id == item_id,
                                                             analysis_plan_items.c.plan_id == row.id)
                           .with_for_update()).first()
    if item is None:
        raise NotFound(Message("пункт %(item)s плана анализов %(plan)s", item=item_id, plan=plan_id))
    if row.approved_on is None:
        raise Refused("plan_not_approved", ["R.11"], "План не утверждён: анализ по его пункту не начинается")
    if item.analysis_id is not None:
        raise Refused("item_opened", ["R.11"], "По этому пункту плана анализ уже начат")
    for name in _SET_BY_PLAN:
        if name in cmd.step:
            raise InvalidInput.one(f"step.{name}", "задаётся планом: анализ начинается по пункту утверждённого плана")
    posted_date = cmd.step.get("date")
    if isinstance(posted_date, str) and posted_date < row.approved_on.isoformat():
        raise InvalidInput.one("step.date", Message("анализ по пункту плана не начинается раньше утверждения "
                                                    "плана (%(date)s)", date=row.approved_on.strftime('%d.%m.%Y')))
    step = {"type": "opened", **cmd.step, "via": "plan", "signer_person_id": row.approved_by_person_id}
    details = {**(cmd.details or {}), "plan_id": row.id, "plan_item_id": item.id, "topic": item.topic,
               "responsible_person_id": item.responsible_person_id}
    # The approver may serve in an office above the actor's scope (a district plan approved by the
    # prosecutor of the region): the approval made them the plan's signer, so they are seen for this call.
    approver = session.get(Person, row.approved_by_person_id)
    assert approver is not None
    opener = actor if actor.visible is None else replace(actor, visible=actor.visible | {approver.office_id})
    opened = stored.do_open(session, "analyses", {"office_id": row.office_id, "step": step, "details": details},
                            actor=opener, calendar=calendar)
    session.execute(update(analysis_plan_items).where(analysis_plan_items.c.id == item.id)
                    .values(analysis_id=opened["id"]))
    audit.record(session, actor=actor, action=AuditAction.PLAN_ITEM_OPENED, object_type="analysis_plan",
                 object_id=row.id, after={"item_id": item.id, "analysis_id": opened["id"],
                                          "number": opened["number"]})
    return opened


# ============================================================================= organizations


class OrganizationIn(Input):
    name: str = Field(min_length=1, max_length=500)
    bin: str = Field(min_length=1, max_length=40)
    kind: Literal["state_body", "quasi_state", "private_business"]
    address: str = Field(default="", max_length=500)
    version: int | None = OptID


def organization_dict(row: Row[Any]) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "bin": row.bin, "kind": row.kind,
            "kind_label": ORGANIZATION_KINDS[row.kind], "address": row.address, "version": row.version}


def _check_organization(session: Session, cmd: OrganizationIn, own_id: int | None) -> str:
    number = cmd.bin.strip()
    if not bin_iin_valid(number):
        raise InvalidInput.one("bin", "БИН — 12 цифр с верным контрольным разрядом")
    other = session.execute(select(organizations.c.id, organizations.c.name)
                            .where(organizations.c.bin == number)).first()
    if other is not None and other.id != own_id:
        raise InvalidInput.one("bin", Message("организация с БИН %(bin)s уже есть в справочнике: "
                                                "%(name)s", bin=number, name=other.name))
    return number


def _search_text(name: str, number: str, address: str) -> str:
    return f"{name} {number} {address}".casefold()[:1100]


def do_create_organization(session: Session, data: Any, *, actor: Actor) -> dict[str, Any]:
    actor.require(Permission.RECORD)
    cmd: OrganizationIn = parse(OrganizationIn, data)
    number = _check_organization(session, cmd, None)
    name, address = cmd.name.strip(), cmd.address.strip()
    oid = _insert(session, insert(organizations).values(
        name=name, bin=number, kind=cmd.kind, address=address, search=_search_text(name, number, address),
        created_by=actor.login, created_at=audit.now_utc(), version=1).returning(organizations.c.id)).scalar_one()
    out = access_organization(session, oid, actor=actor)
    audit.record(session, actor=actor, action=AuditAction.ORGANIZATION_CREATED, object_type="organization",
                 object_id=oid, after=out)
    return out


def do_update_organization(session: Session, organization_id: int, data: Any, *, actor: Actor) -> dict[str, Any]:
    actor.require(Permission.RECORD)
    cmd: OrganizationIn = parse(OrganizationIn, data)
    before = access_organization(session, organization_id, actor=actor)
    if cmd.version is None:
        raise InvalidInput.one("version", "укажите версию записи, которую вы изменяете")
    if cmd.version != before["version"]:
        raise Conflict.versions("Организация", cmd.version, before["version"])
    number = _check_organization(session, cmd, organization_id)
    name, address = cmd.name.strip(), cmd.address.strip()
    session.execute(update(organizations).where(organizations.c.id == organization_id).values(
        name=name, bin=number, kind=cmd.kind, address=address, search=_search_text(name, number, address),
        version=before["version"] + 1))
    after = access_organization(session, organization_id, actor=actor)
    audit.record(session, actor=actor, action=AuditAction.ORGANIZATION_UPDATED, object_type="organization",
                 object_id=organization_id, before=before, after=after)
    return after


def access_organization(session: Session, organization_id: int, *, actor: Actor) -> dict[str, Any]:
    actor.require(Permission.SIGNED_IN)
    row = session.execute(select(organizations).where(organizations.c.id == organization_id)).first()
    if row is None:
        raise NotFound(Message("%(what)s %(id)s", what=Message("организация"), id=organization_id))
    return organization_dict(row)


def access_organizations(session: Session, *, actor: Actor, q: str = "", kind: str | None = None,
                         limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The directory: a search over name, BIN and address (case-insensitive in any script), by kind."""
    actor.require(Permission.SIGNED_IN)
    t = organizations
    where: list[Any] = []
    if q.strip():
        where.append(t.c.search.contains(q.strip().casefold(), autoescape=True))
    if kind:
        if kind not in ORGANIZATION_KINDS:
            raise InvalidInput.one("kind", Message("недопустимое значение; допустимые: %(codes)s",
                                                          codes=", ".join(ORGANIZATION_KINDS)))
        where.append(t.c.kind == kind)
    total = session.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
    rows = session.execute(select(t).where(*where).order_by(t.c.name, t.c.id).limit(limit).offset(offset)).all()
    return {"total": total, "items": [organization_dict(r) for r in rows]}


def check_step_organization(session: Session, kind: str, step: dict[str, Any],
                            details: dict[str, Any] | None) -> None:
    """The hook for `casework.service` (before a step is stored): an analysis `info_requested`
    step's `details.organization_id`, when given, names an organization of the directory whose kind is
    the step's addressee (R.13–14)."""
    if kind != "analysis" or step.get("type") != "info_requested" or not details:
        return
    raw = details.get("organization_id")
    if raw is None:
        return
    where = "details.organization_id"
    if not isinstance(raw, int) or isinstance(raw, bool) or not 1 <= raw < 2**63:
        raise InvalidInput.one(where, "ожидается номер организации из справочника (целое число)")
    row = session.execute(select(organizations.c.kind, organizations.c.name)
                          .where(organizations.c.id == raw)).first()
    if row is None:
        raise InvalidInput.one(where, Message("нет организации %(id)s в справочнике", id=raw))
    addressee = step.get("addressee")
    if isinstance(addressee, str) and addressee in ORGANIZATION_KINDS and row.kind != addressee:
        raise InvalidInput.one(where, Message("«%(name)s» — %(kind)s, а адресат запроса указан как %(addressee)s",
                                              name=row.name, kind=Message(ORGANIZATION_KINDS[row.kind]),
                                              addressee=Message(ORGANIZATION_KINDS[addressee])))


# ============================================================================ the КУИ register


class KuiIn(Input):
    proceeding_id: int = ID
    step: int = Field(strict=True, ge=0, le=100_000)
    number: str = Field(min_length=1, max_length=80)
    registered_on: PlainDate
    summary: str = Field(min_length=1, max_length=10_000)


class KuiTransferIn(Input):
    version: int = ID
    transferred_to: str = Field(min_length=1, max_length=300)
    transferred_on: PlainDate


class ReconciliationIn(Input):
    office_id: int = ID
    year: int = YEAR
    month: int = Field(strict=True, ge=1, le=12)
    reconciled_with: str = Field(min_length=1, max_length=300)
    reconciled_by: str = Field(min_length=1, max_length=300)
    reconciled_on: PlainDate
    discrepancies: str = Field(default="", max_length=10_000)


KUI_COLUMNS = ("number", "registered_on", "office", "source", "summary", "transferred_to", "transferred_on")
KUI_HEADERS = ("№ КУИ", "Дата регистрации", "Прокуратура", "Производство", "Краткое содержание",
               "Кому передано (ч. 5 ст. 181 УПК)", "Дата передачи")


def _decision_step(session: Session, proceeding_id: int, index: int) -> Row[Any] | None:
    """The non-withdrawn step at replay position `index`."""
    rows = session.execute(select(proceeding_steps).where(proceeding_steps.c.proceeding_id == proceeding_id,
                                                          proceeding_steps.c.withdrawn.is_(False))
                           .order_by(proceeding_steps.c.seq)).all()
    return rows[index] if index < len(rows) else None


def do_register_kui(session: Session, data: Any, *, actor: Actor, today: date) -> dict[str, Any]:
    """R.19 p. 5: materials of an analysis (or a check) registered in the КУИ by its decision
    `kui_registration`, in the register of the proceeding's office."""
    actor.require(Permission.RECORD)
    cmd: KuiIn = parse(KuiIn, data)
    source = session.execute(select(proceedings_table).where(
        proceedings_table.c.id == cmd.proceeding_id, proceedings_table.c.kind.in_(("analysis", "check")))).first()
    if source is None or not actor.sees_office(source.office_id):
        raise InvalidInput.one("proceeding_id", Message("нет анализа или проверки %(id)s в пределах ваших полномочий",
                                                        id=cmd.proceeding_id))
    step = _decision_step(session, source.id, cmd.step)
    if step is None or step.type != "decision" or step.data.get("decision") != "kui_registration":
        raise InvalidInput.one("step", Message("шаг %(step)s производства %(number)s — не решение о регистрации "
                                               "материалов в КУИ (п. 19 Правил)", step=cmd.step, number=source.number))
    if cmd.registered_on < step.date:
        raise InvalidInput.one("registered_on", Message("регистрация не может предшествовать решению (%(date)s)",
                                                        date=step.date.strftime("%d.%m.%Y")))
    if cmd.registered_on > today:
        raise InvalidInput.one("registered_on", "дата ещё не наступила")
    t = kui_materials
    if session.execute(select(t.c.id).where(t.c.proceeding_id == source.id, t.c.decision_step == cmd.step)).first():
        raise InvalidInput.one("step", "материалы по этому решению уже зарегистрированы в КУИ")
    number = cmd.number.strip()
    if session.execute(select(t.c.id).where(t.c.office_id == source.office_id, t.c.number == number)).first():
        raise InvalidInput.one("number", Message("в КУИ этой прокуратуры уже есть № %(number)s", number=number))
    kid = _insert(session, insert(t).values(
        office_id=source.office_id, proceeding_id=source.id, decision_step=cmd.step, number=number,
        registered_on=cmd.registered_on, summary=cmd.summary.strip(), created_by=actor.login,
        created_at=audit.now_utc(), version=1).returning(t.c.id)).scalar_one()
    out = access_kui_material(session, kid, actor=actor)
    audit.record(session, actor=actor, action=AuditAction.KUI_REGISTERED, object_type="kui_material",
                 object_id=kid, after=out)
    return out


def do_transfer_kui(session: Session, material_id: int, data: Any, *, actor: Actor, today: date) -> dict[str, Any]:
    """R.20: the materials transferred under part 5 of art. 181 of the УПК (to whom, when)."""
    actor.require(Permission.RECORD)
    cmd: KuiTransferIn = parse(KuiTransferIn, data)
    before = access_kui_material(session, material_id, actor=actor)
    if cmd.version != before["version"]:
        raise Conflict.versions("Запись КУИ", cmd.version, before["version"])
    if before["transferred_on"] is not None:
        raise Refused("already_transferred", ["R.20"], Message("Материалы уже переданы (%(to)s, %(on)s)",
                                                                to=before['transferred_to'],
                                                                on=before['transferred_on']))
    if cmd.transferred_on.isoformat() < before["registered_on"]:
        raise InvalidInput.one("transferred_on", "передача не может предшествовать регистрации в КУИ")
    if cmd.transferred_on > today:
        raise InvalidInput.one("transferred_on", "дата ещё не наступила")
    session.execute(update(kui_materials).where(kui_materials.c.id == material_id).values(
        transferred_to=cmd.transferred_to.strip(), transferred_on=cmd.transferred_on, version=before["version"] + 1))
    after = access_kui_material(session, material_id, actor=actor)
    audit.record(session, actor=actor, action=AuditAction.KUI_TRANSFERRED, object_type="kui_material",
                 object_id=material_id, before=before, after=after)
    return after


def _kui_select() -> Any:
    t, p = kui_materials, proceedings_table
    return (select(t, p.c.number.label("source_number"), p.c.kind.label("source_kind"),
                   offices.c.name_ru.label("office_name"))
            .select_from(t.join(p, p.c.id == t.c.proceeding_id).join(offices, offices.c.id == t.c.office_id)))


def kui_dict(row: Row[Any]) -> dict[str, Any]:
    return {"id": row.id, "office_id": row.office_id, "office": row.office_name, "proceeding_id": row.proceeding_id,
            "source": row.source_number, "source_kind": row.source_kind, "step": row.decision_step,
            "number": row.number, "registered_on": row.registered_on.isoformat(), "summary": row.summary,
            "transferred_to": row.transferred_to,
            "transferred_on": row.transferred_on.isoformat() if row.transferred_on else None, "version": row.version}


def access_kui_material(session: Session, material_id: int, *, actor: Actor) -> dict[str, Any]:
    actor.require(Permission.SIGNED_IN)
    row = session.execute(_kui_select().where(kui_materials.c.id == material_id)).first()
    if row is None or not actor.sees_office(row.office_id):
        raise NotFound(Message("%(what)s %(id)s", what=Message("запись КУИ"), id=material_id))
    return kui_dict(row)


def _kui_where(actor: Actor, office_id: int | None, year: int | None, month: int | None,
               transferred: bool | None, q: str) -> list[Any]:
    t = kui_materials
    where: list[Any] = []
    where.append(scope_condition(actor, t.c.office_id))
    if office_id is not None:
        where.append(t.c.office_id == office_id)
    if year is not None:
        if month is not None and not 1 <= month <= 12:
            raise InvalidInput.one("month", "месяц — от 1 до 12")
        first = date(year, month or 1, 1)
        last = date(year, month or 12, month_calendar.monthrange(year, month or 12)[1])
        where.append(t.c.registered_on.between(first, last))
    if transferred is not None:
        where.append(t.c.transferred_on.is_not(None) if transferred else t.c.transferred_on.is_(None))
    if q.strip():
        where.append(t.c.number.contains(q.strip(), autoescape=True))
    return where


#: The orders of the register: a column, `-` first for descending.
KUI_SORTS = ("registered_on", "-registered_on", "number", "-number", "transferred_on", "-transferred_on")


def _kui_order(sort: str) -> list[Any]:
    if sort not in KUI_SORTS:
        raise InvalidInput.one("sort", Message("недопустимое значение; допустимые: %(codes)s",
                                                          codes=", ".join(KUI_SORTS)))
    column = kui_materials.c[sort.lstrip("-")]
    if sort.startswith("-"):
        return [column.desc(), kui_materials.c.id.desc()]
    return [column.asc(), kui_materials.c.id.asc()]


def access_kui(session: Session, *, actor: Actor, office_id: int | None = None, year: int | None = None,
               month: int | None = None, transferred: bool | None = None, q: str = "",
               sort: str = "-registered_on", limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """The register: the actor's scope, filters (office, year and month of registration, transferred or
    not, number), sorted (newest first unless told), one page."""
    actor.require(Permission.SIGNED_IN)
    where = _kui_where(actor, office_id, year, month, transferred, q)
    order = _kui_order(sort)
    total = session.execute(select(func.count()).select_from(kui_materials).where(*where)).scalar_one()
    rows = session.execute(_kui_select().where(*where).order_by(*order).limit(limit).offset(offset)).all()
    return {"total": total, "items": [kui_dict(r) for r in rows]}


def kui_table(session: Session, *, actor: Actor, office_id: int | None = None, year: int | None = None,
              month: int | None = None, transferred: bool | None = None, q: str = "",
              sort: str = "registered_on") -> list[tuple[str, ...]]:
    """The filtered register, every matching row, as text (dates dd.mm.yyyy) for CSV and XLSX."""
    actor.require(Permission.SIGNED_IN)
    where = _kui_where(actor, office_id, year, month, transferred, q)
    rows = session.execute(_kui_select().where(*where).order_by(*_kui_order(sort))).all()
    out: list[tuple[str, ...]] = [KUI_HEADERS]
    for r in rows:
        item = kui_dict(r)
        out.append(tuple(_ru(item[c]) if c in ("registered_on", "transferred_on") else str(item[c] or "")
                         for c in KUI_COLUMNS))
    return out


def to_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV for spreadsheet programs: UTF-8 with BOM, `;`-separated, no cell read as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if value is None else _cell(str(value)) for value in row])
    return "\ufeff" + out.getvalue()


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def do_record_reconciliation(session: Session, data: Any, *, actor: Actor, today: date) -> dict[str, Any]:
    """R.20: the monthly reconciliation with the authorized body, per office and month: with whom, who
    conducted it, when, the discrepancies found."""
    actor.require(Permission.RECORD)
    cmd: ReconciliationIn = parse(ReconciliationIn, data)
    office = _office(session, actor, cmd.office_id)
    if cmd.reconciled_on < date(cmd.year, cmd.month, 1):
        raise InvalidInput.one("reconciled_on", "сверка за месяц не проводится до его начала")
    if cmd.reconciled_on > today:
        raise InvalidInput.one("reconciled_on", "дата ещё не наступила")
    t = kui_reconciliations
    if session.execute(select(t.c.id).where(t.c.office_id == office.id, t.c.year == cmd.year,
                                            t.c.month == cmd.month)).first():
        raise InvalidInput.one("month", Message("сверка за %(month)s уже отмечена",
                                                month=f"{cmd.month:02d}.{cmd.year}"))
    rid = _insert(session, insert(t).values(
        office_id=office.id, year=cmd.year, month=cmd.month, reconciled_with=cmd.reconciled_with.strip(),
        reconciled_by=cmd.reconciled_by.strip(), reconciled_on=cmd.reconciled_on,
        discrepancies=cmd.discrepancies.strip(), created_by=actor.login, created_at=audit.now_utc())
        .returning(t.c.id)).scalar_one()
    row = session.execute(select(t).where(t.c.id == rid)).one()
    out = reconciliation_dict(row)
    audit.record(session, actor=actor, action=AuditAction.KUI_RECONCILED, object_type="kui_reconciliation",
                 object_id=rid, after=out)
    return out


def reconciliation_dict(row: Row[Any]) -> dict[str, Any]:
    return {"id": row.id, "office_id": row.office_id, "year": row.year, "month": row.month,
            "reconciled_with": row.reconciled_with, "reconciled_by": row.reconciled_by,
            "reconciled_on": row.reconciled_on.isoformat(), "discrepancies": row.discrepancies}


def access_reconciliations(session: Session, *, actor: Actor, office_id: int, year: int,
                           today: date) -> list[dict[str, Any]]:
    """The twelve months of `year` for the office: the reconciliation recorded, or none — missing once
    the month has ended."""
    actor.require(Permission.SIGNED_IN)
    _office(session, actor, office_id)
    t = kui_reconciliations
    rows = {r.month: r for r in session.execute(select(t).where(t.c.office_id == office_id, t.c.year == year)).all()}
    out = []
    for month in range(1, 13):
        row = rows.get(month)
        ended = date(year, month, month_calendar.monthrange(year, month)[1]) < today
        out.append({"year": year, "month": month, "record": reconciliation_dict(row) if row else None,
                    "missing": row is None and ended})
    return out


# ===================================================================== periodic obligations


class ReportIn(Input):
    office_id: int = ID
    report_date: PlainDate
    analysis_id: int | None = OptID
    version: int | None = OptID


def _obligations(office: Office, year: int, calendar: WorkingCalendar) -> list[dict[str, Any]]:
    plan = OBLIGATION_PLANS.get(office.kind)
    if office.level == "gpo" or plan is None:
        return []
    answer = rules.evaluate("analysis.periodic_obligations", {"office_kind": plan, "year": year}, calendar=calendar)
    found: list[dict[str, Any]] = answer["result"]["obligations"]
    return [o for o in found if o["code"] != REGION_PASSPORT or office.level == "regional"]


def access_obligations(session: Session, *, actor: Actor, office_id: int, year: int,
                       today: date, calendar: WorkingCalendar) -> dict[str, Any]:
    """R.5–9, I.46, I.64, I.70 (the rule `analysis.periodic_obligations`) for the office's kind and the
    year, each with the analysis and report that fulfil it; overdue: due before today, no report."""
    actor.require(Permission.SIGNED_IN)
    office = _office(session, actor, office_id)
    obligations = _obligations(office, year, calendar)
    r, p = periodic_reports, proceedings_table
    rows = session.execute(
        select(r, p.c.number.label("analysis_number"))
        .select_from(r.outerjoin(p, p.c.id == r.c.analysis_id))
        .where(r.c.office_id == office_id, r.c.period_start.between(date(year, 1, 1), date(year, 12, 31)))).all()
    reports = {(row.code, row.period_start.isoformat()): row for row in rows}
    items = []
    for o in obligations:
        row = reports.get((o["code"], o["period_start"]))
        report = None if row is None else {
            "report_date": row.report_date.isoformat(), "analysis_id": row.analysis_id,
            "analysis_number": row.analysis_number, "recorded_by": row.recorded_by, "version": row.version}
        overdue = report is None and o["report_due"] < today.isoformat()
        status = "reported" if report else ("overdue" if overdue else "pending")
        items.append({**o, "office_id": office.id, "title": OBLIGATION_LABELS.get(o["code"], o["code"]),
                      "report": report,
                      "overdue": overdue, "status": status})
    note = "" if obligations else NO_OBLIGATIONS
    return {"office_id": office.id, "office_name": office.name_ru, "office_kind": office.kind,
            "office_level": office.level, "year": year, "obligations": items, "note": note}


def do_record_report(session: Session, code: str, period_start: str, data: Any, *, actor: Actor,
                     today: date, calendar: WorkingCalendar) -> dict[str, Any]:
    """The report that fulfils an obligation: its date and the analysis it rests on (the office's own
    or one of an office below it); recorded again with `version` to correct it."""
    actor.require(Permission.RECORD)
    cmd: ReportIn = parse(ReportIn, data)
    office = _office(session, actor, cmd.office_id)
    try:
        start = date.fromisoformat(period_start)
    except ValueError:
        raise InvalidInput.one("period_start", Message("ожидается дата ГГГГ-ММ-ДД, получено %(value)s",
                                                                value=repr(period_start))) from None
    obligation = next((o for o in _obligations(office, start.year, calendar)
                       if o["code"] == code and o["period_start"] == start.isoformat()), None)
    if obligation is None:
        raise NotFound(Message("обязательство %(code)s за период с %(start)s для прокуратуры %(office)s",
                               code=code, start=start.isoformat(), office=office.code))
    if cmd.report_date < start:
        raise InvalidInput.one("report_date", "информация за период не представляется до его начала")
    if cmd.report_date > today:
        raise InvalidInput.one("report_date", "дата ещё не наступила")
    analysis_id = None
    if cmd.analysis_id is not None:
        analysis = _analysis(session, actor, cmd.analysis_id, "analysis_id")
        if office.id not in tree(session).chain(analysis.office_id):
            raise InvalidInput.one("analysis_id", "анализ проведён не этой прокуратурой и не нижестоящей")
        analysis_id = analysis.id
    r = periodic_reports
    row = session.execute(select(r).where(r.c.office_id == office.id, r.c.code == code, r.c.period_start == start)
                          .with_for_update()).first()
    values = {"report_date": cmd.report_date, "analysis_id": analysis_id, "recorded_by": actor.login,
              "recorded_at": audit.now_utc()}
    before = None
    if row is None:
        if cmd.version is not None:
            raise Conflict.versions("Отметка о представлении информации", cmd.version, 0)
        _insert(session, insert(r).values(office_id=office.id, code=code, period_start=start, version=1, **values))
    else:
        if cmd.version is None:
            raise InvalidInput.one("version", "отметка уже есть: укажите её версию, чтобы исправить")
        if cmd.version != row.version:
            raise Conflict.versions("Отметка о представлении информации", cmd.version, row.version)
        before = {"report_date": row.report_date.isoformat(), "analysis_id": row.analysis_id}
        session.execute(update(r).where(r.c.id == row.id).values(version=row.version + 1, **values))
    audit.record(session, actor=actor, action=AuditAction.PERIODIC_REPORT_RECORDED, object_type="periodic_report",
                 object_id=f"{office.id}:{code}:{start.isoformat()}", before=before,
                 after={"report_date": cmd.report_date.isoformat(), "analysis_id": analysis_id})
    listed = access_obligations(session, actor=actor, office_id=cmd.office_id, year=start.year, today=today,
                                calendar=calendar)
    return next(o for o in listed["obligations"] if o["code"] == code and o["period_start"] == start.isoformat())
