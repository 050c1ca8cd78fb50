"""The pages of proceedings (issue 8 §5, web), one set for every collection — checks, acts, evaluations,
analyses: the register (filters, sortable columns, numbered pages, CSV and XLSX export), the card (the
timeline of steps, the open deadlines with days left, lateness, the allowed next steps as forms, the
withdrawal of the last step) and the form of a new one (for checks with admissibility evaluated as the
user types). Every change goes through `nadzor.casework.service`; forms carry the CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, QueryParams, UploadFile

from nadzor import rules
from nadzor.accounts.tables import users
from nadzor.acts import service as acts
from nadzor.acts.service import ORIGIN_FILTERS
from nadzor.audit.pages import history
from nadzor.casework import api_attachments, attachments, documents
from nadzor.casework import service as stored
from nadzor.casework.labels import (
    ADMISSIBILITY_REQUIRES,
    COLLECTION_TITLES,
    DEADLINE_LABELS,
    N_,
    SOURCE_LABELS,
    Widget,
    code_label,
    field_label,
    kind_of_collection,
    signer_title,
    step_label,
    widgets,
)
from nadzor.checks import resolutions as check_resolutions
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import POSITION_LABELS, Office
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import Conflict, InvalidInput, Message, message_of
from nadzor.org import service as org
from nadzor.org.tables import people
from nadzor.proceedings.kernel import Kind, StepType
from nadzor.rules.base import cite
from nadzor.rules.instruction.checks import bin_iin_valid
from nadzor.web import listing, security
from nadzor.web.listing import PAGE_SIZES, Asked, Column, Filter, ListSpec, Shown
from nadzor.web.routing import FORM, ShowAgain, endpoint
from nadzor.web.security import DB, current_actor
from nadzor.web.security import platform as platform_of
from nadzor.web.templating import Translate, catalog, render, translator
from nadzor.web.ui_labels import office_name

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
P = Permission
#: Register columns: (sort key, Russian header).
COLUMNS = (("number", N_("Номер")), ("office", N_("Прокуратура")), ("subject", N_("Субъект")),
           ("status", N_("Статус")), ("opened_on", N_("Начато")), ("last_day", N_("Последний день")),
           ("next_due", N_("Ближайший срок")))
#: Step keys that are not fields of the step (shown by the timeline itself).
_STEP_META = frozenset({"type", "date", "index", "seq", "withdrawn", "withdrawn_reason", "withdrawn_by",
                        "withdrawn_at", "details", "author", "recorded_at", "signer", "group_leader"})
_SIGNERS = ("signer", "group_leader")
FILTER_LABELS = {"office_id": N_("Прокуратура"), "status": N_("Статус"), "q": N_("Субъект"),
                 "basis": N_("Основание"), "assignee_id": N_("Проводит проверку"),
                 "opened_from": N_("Начато с"), "opened_to": N_("Начато по"),
                 "due_within": N_("Срок истекает в течение (рабочих дней)"),
                 "act_type": N_("Вид акта"), "signer": N_("Подписал акт"), "signer_person_id": N_("Подписал акт"),
                 "origin_kind": N_("Основание внесения"), "origin_number": N_("Номер основания"),
                 "sort": N_("Сортировка"), "page": N_("Страница")}
ORIGIN_FILTER_LABELS = {"check": N_("проверка"), "evaluation": N_("оценка акта"), "analysis": N_("анализ"),
                        "direct": N_("внесён непосредственно"), "none": N_("основание не указано")}
NEW_LABELS = {"office_id": N_("Прокуратура"), "subject_name": N_("Наименование"), "bin_iin": N_("БИН/ИИН"),
              "date": N_("Дата"), "version": N_("Версия"), "reason": N_("Причина отзыва"),
              "confirm": N_("Подтверждение")}


#: Inputs of a step form that go to the step's `details` (checks/details.py), posted as
#: `details.<name>`: (name, label, input kind).
STEP_DETAILS: dict[tuple[str, str], tuple[tuple[str, str, str], ...]] = {
    ("check", "resolution_signed"): (
        ("number", N_("Номер постановления"), "text"), ("topic", N_("Предмет (тематика) проверки"), "text"),
        ("period_from", N_("Проверяемый период: с"), "date"), ("period_to", N_("Проверяемый период: по"), "date"),
        ("assignees", N_("Кому поручена проверка"), "people"),
        ("subject_location", N_("Местонахождение субъекта"), "text"), ("subject_bin_iin", N_("БИН/ИИН"), "text"),
        ("subject_rights_duties", N_("Права и обязанности проверяемого субъекта"), "textarea")),
    ("check", "composition_changed"): (("assignees", N_("Кому поручена проверка"), "people"),),
    # I.23: the certificate's parts, checked with `check.certificate_completeness` before it is delivered.
    ("check", "certificate_delivered"): (
        ("certificate.date", N_("Дата составления справки"), "date"),
        ("certificate.place", N_("Место составления справки"), "text"),
        ("certificate.grounds", N_("Основания проверки"), "text"),
        ("certificate.subject_name", N_("Наименование проверяемого субъекта"), "text"),
        ("certificate.topic", N_("Предмет (тематика) проверки"), "text"),
        ("certificate.general_info", N_("Общие сведения по тематике проверки"), "textarea"),
        ("certificate.legality_assessment", N_("Оценка соблюдения законности по предмету проверки"), "textarea"),
        ("certificate.causes_analysis", N_("Анализ причин, способствовавших совершению нарушений"), "textarea"),
        ("certificate.remedy_mechanism", N_("Механизм устранения выявленных нарушений, их причин и условий"),
         "textarea"),
        ("certificate.conclusions", N_("Выводы и предложения по результатам проверки"), "textarea"),
        ("certificate.signatures", N_("Подписи проводивших проверку (по одной в строке)"), "lines")),
    # I.23: the subject's objections to the certificate and the answer to them.
    ("check", "objection_received"): (
        ("objections", N_("Возражения проверяемого субъекта"), "textarea"),
        ("answer", N_("Ответ на возражения"), "textarea")),
    ("evaluation", "studied"): (("checklist", N_("Изучение акта (п. 26 Правил)"), "checklist"),
                                ("signer_person_id", N_("Подписывает заключение"), "person")),
    ("evaluation", "act_received"): (("act_number", N_("Номер акта"), "text"), ("act_date", N_("Дата акта"), "date")),
    ("evaluation", "act_requested"): (("signer_person_id", N_("Подписывает запрос"), "person"),),
    ("evaluation", "act_suspended"): (("reasons", N_("Необратимые последствия исполнения акта (обоснование)"),
                                       "textarea"),),
    ("evaluation", "court_application"): (
        ("court", N_("Суд"), "text"), ("procedure_code", N_("Порядок (ГПК или АППК)"), "procedure"),
        ("demands", N_("Требования заявления"), "textarea"),
        ("signer_person_id", N_("Подписывает заявление"), "person")),
    ("act", "response_received"): (("response_text", N_("Содержание ответа"), "textarea"),),
    ("act", "superior_decision"): (("reasons", N_("Основания решения"), "textarea"),),
    ("evaluation", "transferred"): (
        ("target_office_id", N_("Прокуратура, в компетенцию которой входит опротестование (п. 28 Правил)"), "office"),
        ("signer_person_id", N_("Подписывает письмо"), "person")),
    # R.11: what the rapport an analysis rests on states (its subject: the form's «Тема анализа»)
    ("analysis", "opened"): (
        ("rapport_date", N_("Рапорт: дата"), "date"),
        ("rapport_author", N_("Рапорт: фамилия, имя, отчество и должность подающего"), "text"),
        ("grounds", N_("Рапорт: мотивированные основания"), "textarea"),
        ("period_from", N_("Рапорт: период анализа, с"), "date"),
        ("period_to", N_("Рапорт: период анализа, по"), "date"),
        ("term_days", N_("Рапорт: срок проведения анализа, календарных дней (не более 30)"), "text"),
        ("bodies", N_("Рапорт: привлекаемые органы и подразделения (для предметно-сквозной группы)"),
         "textarea-opt")),
    # R.18: the certificate of the analysis's results, its four parts (its date: the step's)
    ("analysis", "ended"): (
        ("topic", N_("Справка, ч. 1: предмет анализа"), "text"),
        ("period_from", N_("Справка, ч. 1: период, охваченный анализом, с"), "date"),
        ("period_to", N_("Справка, ч. 1: период, охваченный анализом, по"), "date"),
        ("findings", N_("Справка, ч. 2: установленные сведения и обстоятельства"), "textarea"),
        ("statistics", N_("Справка, ч. 2: статистика"), "textarea"),
        ("conclusions", N_("Справка, ч. 3: выводы о состоянии законности"), "textarea"),
        ("causes", N_("Справка, ч. 3: причины и условия правонарушений"), "textarea"),
        ("proposals", N_("Справка, ч. 4: предложения по устранению правонарушений и пробелов"), "textarea")),
    # R.21–22: a requirement; R.23: a petition to the Prosecutor General (each only for its decision)
    ("analysis", "decision"): (
        ("authority_name", N_("Требование: уполномоченный орган, которому оно направляется"), "text-opt"),
        ("subject_name", N_("Требование или ходатайство: проверяемый субъект"), "text-opt"),
        ("subject_bin_iin", N_("Ходатайство: БИН/ИИН субъекта предпринимательства"), "text-opt"),
        ("justification", N_("Обоснование (требования с уведомлением; ходатайства)"), "textarea-opt"),
        ("violations", N_("Ходатайство: признаки нарушений законности"), "textarea-opt"),
        ("measures", N_("Ходатайство: меры, принятые уполномоченными органами"), "textarea-opt")),
}
#: Detail inputs that may stay empty (the others are marked required on the form).
OPTIONAL_DETAILS = frozenset({"act_received.act_number", "act_received.act_date", "act_suspended.reasons",
                              "response_received.response_text", "superior_decision.reasons",
                              "court_application.demands", "act_requested.signer_person_id",
                              "studied.signer_person_id", "transferred.signer_person_id",
                              "court_application.signer_person_id"})
#: R.26: the items of the study and the findings, for the checklist input (evaluations/service.py).
CHECKLIST_LABELS = {
    "competence": N_("наличие компетенции и полномочий по принятию акта"),
    "conformity": N_("соответствие установленным законами требованиям"),
    "contradiction": N_("отсутствие противоречий нормативным правовым актам, в том числе вышестоящих уровней"),
    "registration": N_("наличие государственной регистрации (при необходимости)"),
    "publication": N_("опубликование в установленном законом порядке (при необходимости)"),
}
FINDING_LABELS = {"conforms": N_("соответствует"), "violates": N_("не соответствует"),
                  "not_applicable": N_("не применимо")}
#: Step fields the page derives instead of asking (the violations are the items found «не соответствует»).
DERIVED_FIELDS = {("evaluation", "studied"): frozenset({"violations"})}


def posted_details(kind: Kind, step_type: str, form: FormData) -> dict[str, Any] | None:
    """The `details` of a step form: its detail inputs, blank ones left out (people as their ids)."""
    spec = STEP_DETAILS.get((kind.name, step_type))
    if not spec:
        return None
    out: dict[str, Any] = {}
    for name, _label, how in spec:
        parent, _dot, leaf = name.rpartition(".")  # `certificate.general_info`: a part of `certificate`
        into = out.setdefault(parent, {}) if parent else out
        if how == "checklist":
            into[leaf] = [{"item": item, "finding": str(form.get(f"details.{name}.{item}.finding", "")).strip() or None,
                          "note": str(form.get(f"details.{name}.{item}.note", "")).strip()}
                         for item in CHECKLIST_LABELS]
            continue
        if how in ("person", "office"):
            value = str(form.get(f"details.{name}", "")).strip()
            if value:
                into[leaf] = int(value) if value.isdigit() else value
            continue
        if how == "people":
            chosen = [str(v).strip() for v in form.getlist(f"details.{name}") if str(v).strip()]
            if chosen:
                into[leaf] = [int(v) if v.isdigit() else v for v in chosen]
            continue
        value = str(form.get(f"details.{name}", "")).strip()
        if value and how == "lines":
            into[leaf] = [line.strip() for line in value.splitlines() if line.strip()]
        elif value:
            into[leaf] = value
    return out


def page(method: str, path: str,
         permission: Permission | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Reading needs a signed-in user; changing (and the forms that only change), one whose role records
    (never an auditor)."""
    permission = permission or (P.SIGNED_IN if method == "GET" else P.RECORD)
    return endpoint(router, method, path, permission, response_class=HTMLResponse)


def _today(request: Request) -> date:
    return security.today(request)


def _identity(text: str) -> str:
    return text


def _widgets(kind: Kind, spec: StepType, t: Translate) -> list[Widget]:
    derived = DERIVED_FIELDS.get((kind.name, spec.name), frozenset())
    return [replace(w, label=t(w.label), options=tuple((c, t(label)) for c, label in w.options))
            for w in widgets(kind, spec) if w.name not in derived]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ================================================================================ helpers


def _offices(session: Session, actor: Actor) -> dict[int, Office]:
    return {o.id: o for o in org.all_offices(session) if o.id is not None and actor.sees_office(o.id)}


def _office_options(session: Session, actor: Actor, lang: str = "ru") -> list[tuple[str, str]]:
    named = ((str(i), office_name(o, lang)) for i, o in _offices(session, actor).items())
    return sorted(named, key=lambda x: x[1])


def _people_options(session: Session, actor: Actor, lang: str = "ru") -> list[tuple[str, str]]:
    """Each person as «name — position, office» in the interface's language."""
    offices = {o.id: o for o in org.all_offices(session)}
    t = catalog(lang).gettext
    out = []
    for person in org.access_people(session, actor):
        office = offices.get(person.office_id)
        title = t(POSITION_LABELS.get(person.position, person.position))
        out.append((str(person.id), f"{person.full_name} — {title}, {office_name(office, lang) if office else ''}"))
    return sorted(out, key=lambda x: x[1])


# ================================================================================ register


@lru_cache(maxsize=8)
def register_spec(collection: str) -> ListSpec:
    """The register as a generic list (web/listing.py): its filters (a check's basis and assignee, an
    act's type, signer and origin besides the common ones), sortable columns and order."""
    kind = kind_of_collection(collection)
    own: list[Filter] = []
    if stored.bases_of(kind):
        own.append(Filter("basis", FILTER_LABELS["basis"], "choice",
                          tuple((b, code_label(kind.name, "basis", b)) for b in stored.bases_of(kind))))
    if kind.name == "check":
        own.append(Filter("assignee_id", FILTER_LABELS["assignee_id"], "id"))
    if kind.name == "act":  # the types are administrator data: checked when asked (_act_filter_options)
        own += [Filter("act_type", FILTER_LABELS["act_type"]), Filter("signer", FILTER_LABELS["signer"], "id"),
                Filter("origin_kind", FILTER_LABELS["origin_kind"], "choice",
                       tuple((code, ORIGIN_FILTER_LABELS[code]) for code in ORIGIN_FILTERS)),
                Filter("origin_number", FILTER_LABELS["origin_number"])]
    return ListSpec(
        f"/{collection}", COLLECTION_TITLES[collection][1], columns=tuple(Column(k, label) for k, label in COLUMNS),
        filters=(Filter("office_id", FILTER_LABELS["office_id"], "id"), Filter("exact", N_("без нижестоящих"), "flag"),
                 Filter("status", FILTER_LABELS["status"], "choice", tuple(kind.statuses.items())),
                 Filter("q", FILTER_LABELS["q"]), *own, Filter("opened_from", FILTER_LABELS["opened_from"], "date"),
                 Filter("opened_to", FILTER_LABELS["opened_to"], "date"),
                 Filter("overdue", N_("только просроченные"), "flag"),
                 Filter("due_within", FILTER_LABELS["due_within"], "number", high=365)),
        sort="opened_on", descending=True, ranges=(("opened_from", "opened_to"),))


def _register_filter(params: QueryParams, collection: str, *, export: bool = False
                     ) -> tuple[stored.RegisterFilter, Asked]:
    """The register's filters from the query string (every value it cannot use answered on its field)."""
    a = listing.asked(register_spec(collection), params)
    page = a.page(export=export)
    v = a.typed
    flt = stored.RegisterFilter(
        office_id=v["office_id"], subtree=not v["exact"], status=v["status"], subject=v["q"] or "",
        basis=v.get("basis"), assignee_id=v.get("assignee_id"), act_type=v.get("act_type") or None,
        signer_person_id=v.get("signer"), origin_kind=v.get("origin_kind"),
        origin_number=(v.get("origin_number") or "")[:80],
        opened_from=v["opened_from"], opened_to=v["opened_to"], overdue=bool(v["overdue"]), due_within=v["due_within"],
        sort=a.sort, descending=a.descending, limit=page.limit, offset=page.offset)
    return flt, a


def _rows(session: Session, kind: Kind, items: list[dict[str, Any]], actor: Actor, t: Translate = _identity,
          lang: str = "ru") -> list[dict[str, Any]]:
    offices = _offices(session, actor)
    return [item | {"office_name": office_name(offices[item["office_id"]], lang) if item["office_id"] in offices
                    else "",
                    "status_label": t(kind.statuses.get(item["status"] or "", "—"))} for item in items]


def _act_filter_options(request: Request, session: Session, actor: Actor, kind: Kind, flt: stored.RegisterFilter,
                        errors: list[dict[str, str]]) -> tuple[stored.RegisterFilter, dict[str, Any]]:
    """The acts register's choices (types with their names in the page's language, the signers in
    scope, the origins) and the filter with an unknown type reported and left out."""
    if kind.name != "act":
        return flt, {}
    kazakh = security.language(request) == "kk"
    types = [(t["code"], t["name_kk"] if kazakh else t["name_ru"]) for t in acts.access_act_types(session, actor=actor)]
    if flt.act_type is not None and flt.act_type not in {code for code, _ in types}:
        errors.append({"field": "act_type", "message": N_("выберите вид акта из списка")})
        flt = replace(flt, act_type=None)
    origins = [(code, ORIGIN_FILTER_LABELS[code]) for code in ORIGIN_FILTERS]
    signers = _people_options(session, actor, security.language(request))
    return flt, {"act_type_options": types, "signer_options": signers, "origin_options": origins}


def _register(collection: str) -> None:
    kind_name, title, _one, new_title, _subject = COLLECTION_TITLES[collection]

    @page("GET", f"/{collection}")
    def register_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
        kind = kind_of_collection(collection)
        flt, a = _register_filter(request.query_params, collection)
        flt, act_options = _act_filter_options(request, session, actor, kind, flt, a.errors)
        found = stored.access_proceedings(session, collection, actor=actor, today=_today(request), flt=flt,
                                          calendar=platform_of(request).calendar())
        view = listing.shown(a, found["total"])
        if not isinstance(view, Shown):  # past the end (rows removed, a stale link): the last page instead
            return view
        t, lang = translator(request), security.language(request)
        return render(request, "proceedings/register.html", 422 if a.errors else 200, collection=collection,
                      title=title, new_title=new_title, kind=kind,
                      rows=_rows(session, kind, found["items"], actor, t, lang),
                      total=found["total"], values=a.values, columns=COLUMNS, sort_links=view.sort_links,
                      page_no=view.page_no, last_page=view.last_page, pages=view.pages, base=view.base,
                      export=view.export, office_options=_office_options(session, actor, lang), page_sizes=PAGE_SIZES,
                      basis_options=[(b, t(code_label(kind.name, "basis", b))) for b in stored.bases_of(kind)],
                      assignee_options=_people_options(session, actor, lang) if kind.name == "check" else [],
                      errors=a.errors, summary=view.summary, kind_name=kind_name, **act_options)

    @page("GET", f"/{collection}/export")
    def register_export(request: Request, format: str = "csv", actor: Actor = Depends(current_actor),
                        session: Session = DB) -> Response:
        kind = kind_of_collection(collection)
        flt, a = _register_filter(request.query_params, collection, export=True)
        flt, _options = _act_filter_options(request, session, actor, kind, flt, a.errors)
        a.refuse()
        found = stored.access_proceedings(session, collection, actor=actor, today=_today(request), flt=flt,
                                          calendar=platform_of(request).calendar())
        return listing.exported(export_table(_rows(session, kind, found["items"], actor)), title=title,
                                filename=collection, format=format)


EXPORT_HEADER = ("Номер", "Прокуратура", "Субъект", "Статус", "Начато", "Последний день", "Ближайший срок",
                 "Просрочено")


def _ru(day: str | None) -> str:
    return date.fromisoformat(day).strftime("%d.%m.%Y") if day else ""


def export_table(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return [EXPORT_HEADER, *((r["number"], r["office_name"], r["subject"], r["status_label"], _ru(r["opened_on"]),
                              _ru(r["last_day"]), _ru(r["next_due"]), "да" if r["overdue"] else "нет")
                             for r in rows)]


# ================================================================================ the card


def _display(kind: Kind, name: str, value: Any, live: dict[int, dict[str, Any]], t: Translate) -> str:
    if isinstance(value, bool):
        return t("да") if value else t("нет")
    if isinstance(value, list):
        return ", ".join(t(code_label(kind.name, name, v)) for v in value) or "—"
    if name == "step" and isinstance(value, int):
        target = live.get(value)
        return _step_option(kind, value, target, t) if target else str(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return _ru(value)
        except ValueError:
            return value
    return t(code_label(kind.name, name, value))


def _step_option(kind: Kind, index: int, step: dict[str, Any], t: Translate) -> str:
    return f"№ {index + 1}: {t(step_label(kind, step['type']))} {t('от')} {_ru(step['date'])}"


def _authors(session: Session, steps: list[dict[str, Any]]) -> dict[str, str]:
    """Who recorded or withdrew the steps: the full name of each login's person (the login itself for
    an account without one)."""
    logins = {s["author"] for s in steps} | {s["withdrawn_by"] for s in steps if s["withdrawn_by"]}
    found = session.execute(select(users.c.login, people.c.full_name).join(people, users.c.person_id == people.c.id)
                            .where(users.c.login.in_(sorted(logins)))).all()
    return {login: login for login in logins} | {login: name for login, name in found}


def _detail_facts(kind: Kind, step: dict[str, Any], t: Translate) -> list[tuple[str, str]]:
    """What a step's details add to the timeline: the R.26 study item by item, the R.28 addressee."""
    details = step.get("details") or {}
    out = []
    if kind.name == "evaluation" and isinstance(details.get("checklist"), list):
        for entry in details["checklist"]:
            finding = t(FINDING_LABELS.get(entry.get("finding"), str(entry.get("finding"))))
            note = f" — {entry['note']}" if entry.get("note") else ""
            out.append((t(CHECKLIST_LABELS.get(entry.get("item"), str(entry.get("item")))), finding + note))
    if kind.name == "evaluation" and details.get("transfer_to"):
        out.append((t(N_("Материалы направлены")), str(details["transfer_to"])))
    return out


def _office_tree(session: Session, lang: str = "ru") -> list[tuple[str, str]]:
    """Every office of the tree in its order (a child under its parent, indented), for choosing the
    competent prosecutor's office (R.28)."""
    offices = [o for o in org.all_offices(session) if o.id is not None]
    children: dict[int | None, list[Office]] = {}
    for office in offices:
        children.setdefault(office.parent_id, []).append(office)
    out: list[tuple[str, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for office in sorted(children.get(parent, []), key=lambda o: office_name(o, lang)):
            out.append((str(office.id), "\u00a0\u00a0" * depth + office_name(office, lang)))
            walk(office.id, depth + 1)

    walk(None, 0)
    return out


def _timeline(kind: Kind, steps: list[dict[str, Any]], t: Translate, authors: dict[str, str]
              ) -> list[dict[str, Any]]:
    live = {s["index"]: s for s in steps if not s["withdrawn"]}
    out = []
    for s in steps:
        facts = [(t(field_label(kind.name, k)), _display(kind, k, v, live, t)) for k, v in s.items()
                 if k not in _STEP_META and v is not None]
        facts += _detail_facts(kind, s, t)
        signers = [(t(field_label(kind.name, k)), signer_title(s[k])) for k in _SIGNERS if s.get(k)]
        out.append({"n": s["seq"] + 1, "index": s["index"], "label": t(step_label(kind, s["type"])),
                    "date": s["date"],
                    "signers": signers, "facts": facts, "author": authors.get(s["author"], s["author"]),
                    "withdrawn": s["withdrawn"], "reason": s["withdrawn_reason"],
                    "withdrawn_by": authors.get(s["withdrawn_by"] or "", s["withdrawn_by"]),
                    "recorded_at": s["recorded_at"]})
    return out


def _card_context(request: Request, session: Session, actor: Actor, collection: str, item: dict[str, Any]
                  ) -> dict[str, Any]:
    kind = kind_of_collection(collection)
    t = translator(request)
    state = item["state"]
    live = {s["index"]: s for s in item["steps"] if not s["withdrawn"]}

    def labelled(d: dict[str, Any]) -> dict[str, Any]:
        step = live.get(d["step"])
        return d | {"label": t(DEADLINE_LABELS.get(d["code"], d["code"])),
                    "step_label": t(step_label(kind, step["type"])) if step else ""}

    deadlines = [labelled(d) for d in item["deadlines"]]
    late = [labelled(d) for d in state.get("late", [])]
    forms = []
    for name in state.get("allowed_next", []):
        spec = kind.steps[name]
        forms.append({"type": name, "label": t(step_label(kind, name)), "widgets": _widgets(kind, spec, t),
                      "citations": cite(*spec.citations),
                      "details": [(n, t(label), how) for n, label, how in STEP_DETAILS.get((kind.name, name), ())]})
    step_options = [(str(i), _step_option(kind, i, s, t)) for i, s in sorted(live.items())]
    office = session.get(Office, item["office_id"])
    facts = []
    for key, label in (("start", N_("Начало")), ("last_day", N_("Последний день")),
                       ("extension_petition_latest", N_("Ходатайство о продлении — не позднее")),
                       ("objections_until", N_("Возражения к справке — до"))):
        if state.get(key):
            facts.append((label, _ru(state[key])))
    if state.get("extension_days"):
        facts.append((N_("Продлено, дней"), str(state["extension_days"])))
    if kind.name == "act" and (state.get("damage_recovered") or state.get("persons_liable")):  # I.59, per act
        facts.append((N_("Возмещено ущерба, тенге"), f"{state.get('damage_recovered') or 0:,}".replace(",", " ")))
        facts.append((N_("Привлечено к ответственности лиц"), str(state.get("persons_liable") or 0)))
    first_details = item["steps"][0]["details"] if item["steps"] else {}
    bin_iin = first_details.get("subject_bin_iin") or first_details.get("bin_iin")
    if bin_iin:
        facts.insert(0, (N_("БИН/ИИН"), str(bin_iin)))
    if item.get("assignees"):
        facts.append((N_("Проверку проводят"), "; ".join(a["name"] for a in item["assignees"])))
    resolutions = [r | {"title": t(RESOLUTION_TITLES[r["type"]]), "signer_title": signer_title(r["signer"]),
                        "facts": [(t(label), _resolution_value(r["fields"].get(name), t))
                                  for name, label, _kind, _required in RESOLUTION_FIELDS[r["type"]]
                                  if r["fields"].get(name) not in (None, "")]}
                   for r in item.get("resolutions") or []]
    resolution_forms = [{"type": code, "title": t(RESOLUTION_TITLES[code]), "citations": cite(*cites),
                         "fields": [(name, t(label), how, required) for name, label, how, required in
                                    RESOLUTION_FIELDS[code]]}
                        for code, (_title, _rule, cites) in check_resolutions.KINDS.items()] \
        if kind.name == "check" and state.get("status") in check_resolutions.CONDUCTED else []
    can_open_act = any(
        not s["withdrawn"] and (s["type"] == "decision" and s.get("decision") == "act") for s in item["steps"]) \
        or (kind.name == "evaluation" and state["status"] == "studied" and bool(state.get("violations")))
    return {"collection": collection, "kind": kind, "item": item, "state": state,
            "resolutions": resolutions, "resolution_forms": resolution_forms,
            "documents": _documents_offered(request, session, actor, collection, item, t),
            "office_tree": _office_tree(session, security.language(request)) if kind.name == "evaluation" else [],
            "checklist_items": list(CHECKLIST_LABELS.items()), "findings": list(FINDING_LABELS.items()),
            "optional_details": OPTIONAL_DETAILS,
            "origin": item["origin"] | {"label": ORIGIN_FILTER_LABELS[item["origin"]["kind"]]}
            if item.get("origin") else None, "linked_acts": item.get("linked_acts", []),
            "can_open_act": can_open_act and kind.name != "act",
            "act_type": item.get("act_type"),
            "sources_labels": SOURCE_LABELS,
            "title": COLLECTION_TITLES[collection][2], "register_title": COLLECTION_TITLES[collection][1],
            "office_name": office_name(office, security.language(request)) if office else "",
            "status_label": t(kind.statuses.get(state["status"] or "", "—")),
            "timeline": _timeline(kind, item["steps"], t, _authors(session, item["steps"])),
            "deadlines": deadlines, "late": late, "forms": forms,
            "step_options": step_options, "people": _people_options(session, actor, security.language(request)),
            "facts": facts,
            "can_withdraw": len(live) > 1, "last_live": t(step_label(kind, live[max(live)]["type"])) if live else "",
            "today": _today(request)}


#: The fields of a check's resolutions (checks/resolutions.py): name, label, input, required.
RESOLUTION_FIELDS: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "orm": (("grounds", N_("Основания проведения оперативно-розыскных мероприятий"), "textarea", True),
            ("measures", N_("Мероприятия"), "textarea", False),
            ("executor", N_("Кому поручено проведение"), "text", False),
            ("results_form", N_("Форма предоставления полученных результатов"), "text", True),
            ("results_due", N_("Срок предоставления результатов"), "date", True)),
    "expertise": (("kind", N_("Вид экспертизы"), "text", True),
                  ("grounds", N_("Основания назначения экспертизы"), "textarea", True),
                  ("objects", N_("Объекты, направляемые на экспертизу, и сведения об их происхождении"), "textarea",
                   True),
                  ("destruction_allowed", N_("Разрешено полное или частичное уничтожение объектов, изменение их "
                                             "внешнего вида или основных свойств"), "checkbox", False),
                  ("expert", N_("Орган судебной экспертизы или лицо, которому поручена экспертиза"), "text", True),
                  ("place", N_("Место назначения экспертизы"), "text", False),
                  ("questions", N_("Вопросы эксперту"), "textarea", False)),
}
RESOLUTION_TITLES = {"orm": N_("Постановление о проведении оперативно-розыскных мероприятий"),
                     "expertise": N_("Постановление о назначении экспертизы")}
RESOLUTION_COMMON = {"date": N_("Дата"), "signer_person_id": N_("Подписал"), "number": N_("Номер"),
                     "supervising_deputy": N_("Заместитель, курирующий данную отрасль надзора"),
                     "type": N_("Вид постановления")}


def _resolution_value(value: Any, t: Translate) -> str:
    if isinstance(value, bool):
        return t("да") if value else t("нет")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return _ru(value)
        except ValueError:
            return value
    return str(value)


def _documents_offered(request: Request, session: Session, actor: Actor, collection: str, item: dict[str, Any],
                       t: Translate) -> list[dict[str, Any]]:
    """The card's documents (issue 8 §4): each one that can be drawn up, with its links (DOCX, PDF);
    those still lacking data, with what is missing."""
    offered = documents.access_documents(session, collection, item["id"], actor=actor,
                                         calendar=platform_of(request).calendar())["documents"]
    out = []
    for d in offered:
        if d["step"] is None and d["record"] is None:
            continue  # nothing to draw it up on yet
        where = {"step": d["step"]} if d["step"] is not None else {"record": d["record"]}
        base = f"/api/v1/{collection}/{item['id']}/documents/{d['code']}"
        out.append(d | {"title": t(d["title"]), "links": [(fmt.upper(), f"{base}?{urlencode(where | {'format': fmt})}")
                                                        for fmt in d["formats"]]})
    return out


def _render_card(request: Request, session: Session, actor: Actor, collection: str, proceeding_id: int,
                 status: int = 200, tab: str = "", **extra: Any) -> Response:
    item = stored.access_proceeding(session, collection, proceeding_id, actor=actor, today=_today(request),
                                    calendar=platform_of(request).calendar())
    context = _card_context(request, session, actor, collection, item)
    context.update(history(request, session, actor, item["kind"], proceeding_id, tab))
    context.setdefault("posted", {})
    context.update(extra)
    return render(request, "proceedings/card.html", status, **context)


render_card = _render_card  # the analyses' pages show the card again with their own form's errors


def _widget_value(w: Widget, form: FormData, prefix: str) -> tuple[str, Any] | None:
    """A posted input as the field's JSON value (None: left out). Text that does not parse is passed
    on as text, so the kernel refuses it with the message the API gives."""
    key = prefix + w.name + ("_person_id" if w.kind == "signer" else "")
    if w.kind == "checkbox":
        return (w.name, True) if form.get(key) in ("on", "true", "1") else None
    if w.kind == "multicheck":
        chosen = [str(v) for v in form.getlist(key)]
        return (w.name, chosen) if chosen else None
    raw = str(form.get(key, "")).strip()
    if not raw:
        return None
    if w.kind == "signer":
        return (f"{w.name}_person_id", int(raw) if raw.isdigit() else raw)
    if w.kind in ("number", "step"):
        return (w.name, int(raw) if raw.lstrip("-").isdigit() else raw)
    if w.kind == "amount":
        try:
            number = float(raw.replace(",", "."))
            return (w.name, int(number) if number.is_integer() else number)
        except ValueError:
            return (w.name, raw)
    return (w.name, raw)


def posted_step(kind: Kind, step_type: str, form: FormData, prefix: str = "") -> dict[str, Any]:
    """The contract object of a step form: `{type, date, …fields}` with signers as `<field>_person_id`."""
    step: dict[str, Any] = {"type": step_type}
    raw_date = str(form.get(prefix + "date", "")).strip()
    if raw_date:
        step["date"] = raw_date
    spec = kind.steps.get(step_type)
    for w in widgets(kind, spec) if spec is not None else []:
        found = _widget_value(w, form, prefix)
        if found is not None:
            step[found[0]] = found[1]
    return step


def _field_of(error_field: str) -> str:
    """The form input an error names: `step.signer_person_id` → `signer`, `step.recipients.0` → `recipients`."""
    parts = error_field.split(".")
    if parts[0] == "details" and len(parts) > 1:
        return f"details.{parts[1]}"
    name = parts[1] if parts[0] == "step" and len(parts) > 1 else parts[0]
    return name.removesuffix("_person_id")


def _step_errors(kind: Kind, step_type: str, exc: InvalidInput) -> tuple[dict[str, str], list[dict[str, str]]]:
    names = {w.name for w in widgets(kind, kind.steps[step_type])} if step_type in kind.steps else set()
    detail_labels = {f"details.{n}": label for n, label, _how in STEP_DETAILS.get((kind.name, step_type), ())}

    def field_of(f: str) -> str:
        """A detail input by the longest of their names the error's field starts with
        (`details.certificate.date.0` → `details.certificate.date`), else `_field_of`."""
        found = [k for k in detail_labels if f == k or f.startswith(k + ".")]
        return max(found, key=len) if found else _field_of(f)

    by_field: dict[str, str] = {}
    for e in exc.as_dicts():
        by_field.setdefault(field_of(e["field"]), e["message"])

    def label(f: str) -> str:
        name = field_of(f)
        if name in detail_labels:
            return detail_labels[name]
        return field_label(kind.name, name) if name in names else NEW_LABELS.get(name, N_("Шаг"))

    def anchor(f: str) -> str:
        name = field_of(f)
        if name in detail_labels:
            return f"{step_type}-{name.replace('.', '-')}"
        return f"{step_type}-{name}" if name in names or name == "date" else f"form-{step_type}"

    return by_field, listing.summary(exc.as_dicts(), label, anchor)


def _posted_version(form: FormData) -> Any:
    raw = str(form.get("version", "")).strip()
    return int(raw) if raw.isdigit() else raw


def _card(collection: str) -> None:
    @page("GET", f"/{collection}/{{proceeding_id}}")
    def card_page(request: Request, proceeding_id: int, tab: str = "", actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
        return _render_card(request, session, actor, collection, proceeding_id, tab=tab)

    @page("POST", f"/{collection}/{{proceeding_id}}/steps")
    def record_step(request: Request, proceeding_id: int, form: FormData = FORM, actor: Actor = Depends(current_actor),
                    session: Session = DB) -> Response:
        kind = kind_of_collection(collection)
        step_type = str(form.get("step_type", ""))
        step = posted_step(kind, step_type, form)
        data: dict[str, Any] = {"version": _posted_version(form), "step": step}
        details = posted_details(kind, step_type, form)
        if details is not None:
            data["details"] = details
        if (kind.name, step_type) == ("evaluation", "studied") and details is not None:
            step["violations"] = [c["item"] for c in details["checklist"] if c["finding"] == "violates"]
        plat = platform_of(request)
        try:
            stored.do_record_step(session, collection, proceeding_id, data, actor=actor, calendar=plat.calendar(),
                                  today=_today(request))
        except InvalidInput as exc:
            errors, summary = _step_errors(kind, step_type, exc)
            raise ShowAgain(lambda fresh: _render_card(
                request, fresh, actor, collection, proceeding_id, 422, open_form=step_type, form_errors=errors,
                summary=summary, posted=dict(form.multi_items()), posted_lists={k: form.getlist(k) for k in form},
            )) from None
        except stored.Refused as exc:  # 403 where storage refuses who records it (I.15 `not_assignee`)
            refused = exc
            raise ShowAgain(lambda fresh: _render_card(
                request, fresh, actor, collection, proceeding_id, getattr(refused, "status", 409), open_form=step_type,
                refusal=refused.message, posted=dict(form.multi_items()),
                posted_lists={k: form.getlist(k) for k in form},
            )) from None
        except Conflict as exc:
            stale = Message(N_("%(conflict)s Страница обновлена: проверьте изменения и повторите."),
                            conflict=message_of(exc))
            raise ShowAgain(lambda fresh: _render_card(
                request, fresh, actor, collection, proceeding_id, 409, refusal=stale,
            )) from None
        return _see_other(f"/{collection}/{proceeding_id}#timeline")

    @page("POST", f"/{collection}/{{proceeding_id}}/withdrawal")
    def withdraw_step(request: Request, proceeding_id: int, form: FormData = FORM,
                      actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
        reason = str(form.get("reason", "")).strip()
        plat = platform_of(request)
        try:
            if form.get("confirm") not in ("on", "1", "true"):
                raise InvalidInput.one("confirm", N_("подтвердите отзыв шага"))
            if not reason:
                raise InvalidInput.one("reason", N_("укажите причину отзыва"))
            stored.do_withdraw(session, collection, proceeding_id, {"version": _posted_version(form),
                                                                    "reason": reason},
                               actor=actor, calendar=plat.calendar(), today=_today(request))
        except InvalidInput as exc:
            errors = {e["field"]: e["message"] for e in exc.as_dicts()}
            summary = listing.summary(exc.as_dicts(), lambda f: NEW_LABELS.get(f, f), lambda f: f"withdraw-{f}")
            raise ShowAgain(lambda fresh: _render_card(
                request, fresh, actor, collection, proceeding_id, 422, withdraw_errors=errors,
                withdraw_summary=summary, withdraw_reason=reason)) from None
        except (stored.Refused, Conflict) as exc:
            refusal = message_of(exc)
            raise ShowAgain(lambda fresh: _render_card(request, fresh, actor, collection, proceeding_id, 409,
                                                       withdraw_refusal=refusal)) from None
        return _see_other(f"/{collection}/{proceeding_id}#timeline")


def posted_resolution(form: FormData) -> dict[str, Any]:
    """The body of a check's resolution form (checks/resolutions.py): empty inputs left out,
    the person and the checkboxes as JSON values."""
    code = str(form.get("resolution_type", ""))
    body: dict[str, Any] = {"type": code, "fields": {}}
    for name in ("date", "number"):
        raw = str(form.get(f"res-{name}", "")).strip()
        if raw:
            body[name] = raw
    raw_signer = str(form.get("res-signer_person_id", "")).strip()
    if raw_signer:
        body["signer_person_id"] = int(raw_signer) if raw_signer.isdigit() else raw_signer
    if code == "orm":
        body["supervising_deputy"] = form.get("res-supervising_deputy") in ("on", "1", "true")
    for name, _label, how, _required in RESOLUTION_FIELDS.get(code, ()):
        raw = str(form.get(f"res-{name}", "")).strip()
        if how == "checkbox":
            body["fields"][name] = form.get(f"res-{name}") in ("on", "1", "true")
        elif raw:
            body["fields"][name] = raw
    return body


def _resolution_errors(code: str, exc: InvalidInput) -> tuple[dict[str, str], list[dict[str, str]]]:
    labels = {name: label for name, label, _how, _required in RESOLUTION_FIELDS.get(code, ())} | RESOLUTION_COMMON
    by_field: dict[str, str] = {}
    for e in exc.as_dicts():
        by_field.setdefault(e["field"].removeprefix("fields.").split(".")[0], e["message"])

    def name(f: str) -> str:
        return f.removeprefix("fields.").split(".")[0]

    return by_field, listing.summary(exc.as_dicts(), lambda f: labels.get(name(f), N_("Постановление")),
                              lambda f: f"res-{code}-{name(f)}" if name(f) in labels else f"resolution-{code}")


def _resolutions(collection: str) -> None:
    @page("POST", f"/{collection}/{{proceeding_id}}/resolutions")
    def record_resolution(request: Request, proceeding_id: int, form: FormData = FORM,
                          actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
        """A check's resolution on operative-search measures (I.19) or on expertise (I.20) from its form."""
        body = posted_resolution(form)
        code = body["type"]
        again = {"open_resolution": code, "res_posted": dict(form.multi_items())}
        try:
            check_resolutions.do_record_resolution(session, proceeding_id, body, actor=actor,
                                                   calendar=platform_of(request).calendar())
        except InvalidInput as exc:
            errors, summary = _resolution_errors(code, exc)
            raise ShowAgain(lambda fresh: _render_card(request, fresh, actor, collection, proceeding_id, 422,
                                                       res_errors=errors, summary=summary, **again)) from None
        except stored.Refused as exc:
            refusal = exc.message
            raise ShowAgain(lambda fresh: _render_card(request, fresh, actor, collection, proceeding_id, 409,
                                                       res_refusal=refusal, **again)) from None
        return _see_other(f"/{collection}/{proceeding_id}#resolutions")


def _attachments_page(collection: str) -> None:
    @page("POST", f"/{collection}/{{proceeding_id}}/attachments")
    def attach(request: Request, proceeding_id: int, form: FormData = Depends(api_attachments.upload_form),
               actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
        """A file on the proceeding or on one of its steps from the card's form (issue 8 §3): the
        same checks as the API (type by content, size); a refused file is shown against its input."""
        file, step, note = form.get("file"), form.get("step"), form.get("note")
        settings = platform_of(request).settings
        try:
            if not isinstance(file, UploadFile) or not file.filename:
                raise InvalidInput.one("file", N_("выберите файл"))
            if isinstance(step, UploadFile) or isinstance(note, UploadFile):
                raise InvalidInput.one("file", N_("ожидается один файл"))
            attachments.do_attach(session, collection, proceeding_id, attachments.Upload(file.filename, file.file),
                                  actor=actor, store=api_attachments.store_of(settings),
                                  max_bytes=settings.attachment_max_bytes, step=step or None, note=note or None)
        except (InvalidInput, attachments.TooLarge) as exc:
            problems = (exc.as_dicts() if isinstance(exc, InvalidInput)
                        else [{"field": "file", "message": message_of(exc)}])
            errors = {e["field"]: e["message"] for e in problems}
            summary = listing.summary(problems, lambda f: ATTACH_LABELS.get(f, N_("Файл")), lambda f: f"attach-{f}")
            raise ShowAgain(lambda fresh: _render_card(request, fresh, actor, collection, proceeding_id, 422,
                                                       attach_errors=errors, summary=summary,
                                                       attach_note=str(note or ""))) from None
        return _see_other(f"/{collection}/{proceeding_id}#documents")


ATTACH_LABELS = {"file": N_("Файл"), "step": N_("Шаг"), "note": N_("Примечание")}


# ================================================================================ a new one


def _new_context(request: Request, session: Session, actor: Actor, collection: str) -> dict[str, Any]:
    kind = kind_of_collection(collection)
    spec = kind.steps[kind.first]
    t = translator(request)
    _k, _title, _one, new_title, subject_label = COLLECTION_TITLES[collection]
    return {"collection": collection, "kind": kind, "title": new_title, "subject_label": subject_label,
            "widgets": _widgets(kind, spec, t), "first": kind.first, "first_label": t(step_label(kind, kind.first)),
            "office_options": _office_options(session, actor, security.language(request)),
            "people": _people_options(session, actor, security.language(request)),
            "step_options": [], "register_title": COLLECTION_TITLES[collection][1], "posted": {},
            "posted_lists": {}, "errors": {}, "summary": [], "default_office": str(actor.office_id or ""),
            "details": [(n, t(label), how) for n, label, how in STEP_DETAILS.get((kind.name, kind.first), ())],
            "act_content": ACT_CONTENT if kind.name == "act" else (),
            "new_details": NEW_DETAILS.get(collection, ()), "detail_errors": {},
            "own_act_types": [(t["code"], t["name_kk"] if security.language(request) == "kk" else t["name_ru"])
                              for t in acts.access_act_types(session, actor=actor) if not t["builtin"]]
            if kind.name == "act" else [],
            "optional_details": frozenset({"opened.act_number", "opened.act_date"}),
            "origin": _posted_origin(session, actor, request) if kind.name == "act" else None}


#: What the opening step's details hold besides the subject, by collection: the act under evaluation is
#: identified by its adopting body, number and date (R.24–R.25; its title is the subject).
NEW_DETAILS = {"evaluations": (("adopting_body", N_("Орган (организация), принявший акт"), "text"),
                               ("act_number", N_("Номер акта"), "text"), ("act_date", N_("Дата акта"), "date"))}
#: The parts of an act (I.58) drafted on the new act's form, posted as `details.<name>`; the documents
#: (protest, representation, …) are drawn up from them.
ACT_CONTENT = (("legal_essence", N_("Правовая сущность нарушений")), ("norms", N_("Нарушенные нормы законодательства")),
               ("consequences", N_("Негативные последствия нарушений")),
               ("causes", N_("Причины и условия, способствовавшие нарушениям")),
               ("demand_elimination", N_("Требование об устранении нарушений")),
               ("liability", N_("Ответственность виновных лиц")),
               ("restoration", N_("Восстановление нарушенных прав и законных интересов")),
               ("compensation", N_("Возмещение причинённого ущерба")),
               ("persons", N_("Лица, на которых распространяется действие акта")),
               ("protested_act", N_("Опротестованный акт (наименование, дата, номер) — для протеста")))


def _posted_origin(session: Session, actor: Actor, request: Request, form: FormData | None = None
                   ) -> dict[str, Any] | None:
    """The origin a new act comes from (`origin_kind`, `origin_id` of the link «Внести акт надзора» on a
    check's, an evaluation's or an analysis's card), with its number to show; None when absent."""
    source = form if form is not None else request.query_params
    kind = str(source.get("origin_kind", "")).strip()
    raw = str(source.get("origin_id", "")).strip()
    if kind not in ("check", "evaluation", "analysis") or not raw.isdigit():
        return None
    found = stored.access_proceedings_by_id(session, kind, int(raw), actor=actor)
    return {"kind": kind, "id": int(raw), "number": found["number"] if found else raw,
            "label": ORIGIN_FILTER_LABELS[kind]}


def admissibility_of(form: FormData, calendar: WorkingCalendar, t: Translate = _identity) -> tuple[str, list[str]]:
    """`check.admissibility` of the new check's form: ("", []) while the subject or basis is not
    chosen; else ("admissible" | "not_admissible", Russian notes of what is required)."""
    data: dict[str, Any] = {k: str(form.get(k, "")) for k in ("subject_kind", "basis") if form.get(k)}
    if len(data) < 2:
        return "", []
    data["protected_interest"] = [str(v) for v in form.getlist("protected_interest")]
    data["exceptions"] = [str(v) for v in form.getlist("exceptions")]
    data["control_body_failed"] = form.get("control_body_failed") in ("on", "true", "1")
    try:
        result = rules.evaluate("check.admissibility", data, calendar=calendar)["result"]
    except InvalidInput:
        return "", []
    if result["admissible"]:
        return "admissible", []
    return "not_admissible", [t(ADMISSIBILITY_REQUIRES.get(r, r)) for r in result["requires"]]


def _new(collection: str) -> None:
    @page("GET", f"/{collection}/new", P.RECORD)
    def new_form(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
        context = _new_context(request, session, actor, collection)
        if (context.get("origin") or {}).get("kind") == "evaluation":  # its act is a protest (R.27–R.29)
            context["posted"] = {"act_type": "protest"}
        raw_id, raw_step = request.query_params.get("origin_analysis", ""), request.query_params.get("origin_step", "")
        if collection == "checks" and raw_id.isdigit() and raw_step.isdigit():
            # R.23: a check opened on an analysis's petition — its business path, filled from the petition
            from nadzor.analyses.details import petition_prefill

            found = petition_prefill(session, int(raw_id), int(raw_step), actor=actor)
            context["origin"] = found
            context["posted"] = {"office_id": str(found["office_id"]), "subject_name": found["subject_name"],
                                 "bin_iin": found["bin_iin"], "date": found["date"],
                                 "subject_kind": found["subject_kind"], "basis": found["basis"]}
            context["verdict"], context["notes"] = admissibility_of(
                FormData(context["posted"]), platform_of(request).calendar(), translator(request))
        return render(request, "proceedings/new.html", **context)

    @page("POST", f"/{collection}/new")
    def create(request: Request, form: FormData = FORM, actor: Actor = Depends(current_actor),
               session: Session = DB) -> Response:
        kind = kind_of_collection(collection)
        details: dict[str, Any] = posted_details(kind, kind.first, form) or {}
        subject = str(form.get("subject_name", "")).strip()
        if subject:
            details["subject_name"] = subject
        bin_iin = str(form.get("bin_iin", "")).strip()
        for name, _label, _how in NEW_DETAILS.get(collection, ()):
            text = str(form.get(f"details.{name}", "")).strip()
            if text:
                details[name] = text
        if kind.name == "evaluation" and subject:
            details["act_title"] = subject
        if kind.name == "act":  # the addressee, the parts of the act (I.58) and its origin (I.24, R.27, R.19)
            if subject:
                details["addressee_name"] = subject
            for name, _label in ACT_CONTENT:
                text = str(form.get(f"details.{name}", "")).strip()
                if text:
                    details[name] = text
            own = str(form.get("details.act_type", "")).strip()
            if own:
                details["act_type"] = own
            origin = _posted_origin(session, actor, request, form)
            details["origin"] = {"kind": origin["kind"], "id": origin["id"]} if origin else {"kind": "direct"}
            for name in ("addressee",):
                if str(form.get(f"details.{name}", "")).strip():
                    details[name] = str(form.get(f"details.{name}")).strip()
            if form.get("details.competent") in ("yes", "no"):
                details["competent"] = form.get("details.competent") == "yes"
        raw_office = str(form.get("office_id", "")).strip()
        data: dict[str, Any] = {"office_id": int(raw_office) if raw_office.isdigit() else raw_office,
                                "step": posted_step(kind, kind.first, form), "details": details}
        origin_id, origin_step = str(form.get("origin_analysis", "")), str(form.get("origin_step", ""))
        if collection == "checks" and origin_id.isdigit() and origin_step.isdigit():
            details["origin_analysis"] = {"id": int(origin_id), "step": int(origin_step)}
        try:
            if kind.name == "evaluation" and not details.get("adopting_body"):
                raise InvalidInput.one("details.adopting_body", N_("укажите орган (организацию), принявший "
                                                                   "оцениваемый акт (п. 24 Правил)"))
            if bin_iin:
                if not bin_iin_valid(bin_iin):
                    raise InvalidInput.one("details.bin_iin", "БИН/ИИН — 12 цифр с верным контрольным разрядом")
                details["bin_iin"] = bin_iin
            if not raw_office:
                raise InvalidInput.one("office_id", N_("выберите прокуратуру"))
            item = stored.do_open(session, collection, data, actor=actor, calendar=platform_of(request).calendar())
        except InvalidInput as exc:
            errors = exc.as_dicts()
            raise ShowAgain(lambda fresh: _new_again(request, fresh, actor, collection, form, errors, 422)) from None
        except stored.Refused as exc:
            message = exc.message
            raise ShowAgain(lambda fresh: _new_again(request, fresh, actor, collection, form, [], 409,
                                                     refusal=message)) from None
        return _see_other(f"/{collection}/{item['id']}")

    if collection == "checks":
        @page("POST", f"/{collection}/new/admissibility")
        def admissibility(request: Request, form: FormData = FORM) -> Response:
            verdict, notes = admissibility_of(form, platform_of(request).calendar(), translator(request))
            return render(request, "proceedings/_admissibility.html", verdict=verdict, notes=notes)


def _new_again(request: Request, session: Session, actor: Actor, collection: str, form: FormData,
               errors: list[dict[str, str]], status: int, refusal: str = "") -> Response:
    context = _new_context(request, session, actor, collection)
    kind: Kind = context["kind"]
    names = {w.name for w in context["widgets"]}

    detail_labels = {f"details.{n}": label for n, label, _how in STEP_DETAILS.get((kind.name, kind.first), ())}

    def name_of(f: str) -> str:
        if f == "details.topic" and kind.name == "analysis":
            return "subject_name"  # the analysis's subject is the form's «Тема анализа»
        return f.split(".")[1] if f.startswith("details.") and "." in f else _field_of(f)

    extra = {name: label for name, label, _how in NEW_DETAILS.get(collection, ())}

    def label(f: str) -> str:
        if _field_of(f) in detail_labels and name_of(f) != "subject_name":
            return detail_labels[_field_of(f)]
        name = name_of(f)
        if f.startswith("details.") and name in extra:
            return extra[name]
        if name == "subject_name":
            return COLLECTION_TITLES[collection][4]
        return field_label(kind.name, name) if name in names else NEW_LABELS.get(name, N_("Форма"))

    def anchor(f: str) -> str:
        name = name_of(f)
        if _field_of(f) in detail_labels and name != "subject_name":
            return f"{kind.first}-details-{_field_of(f).split('.', 1)[1]}"
        return f"{kind.first}-details-{name}" if f.startswith("details.") and name in extra else f"{kind.first}-{name}"

    by_field: dict[str, str] = {}
    detail_errors: dict[str, str] = {}
    for e in errors:
        if _field_of(e["field"]) in detail_labels and name_of(e["field"]) != "subject_name":
            detail_errors.setdefault(_field_of(e["field"]), e["message"])
        else:
            by_field.setdefault(name_of(e["field"]), e["message"])
    if kind.name == "act":
        context["origin"] = _posted_origin(session, actor, request, form)
    origin_id, origin_step = str(form.get("origin_analysis", "")), str(form.get("origin_step", ""))
    if collection == "checks" and origin_id.isdigit() and origin_step.isdigit():
        context["origin"] = {"analysis_id": int(origin_id), "step": int(origin_step), "analysis_number": ""}
    context.update(posted=dict(form.multi_items()), posted_lists={k: form.getlist(k) for k in form},
                   errors=by_field, summary=listing.summary(errors, label, anchor),
                   detail_errors={f"details.{name}": message for name, message in by_field.items()} | detail_errors,
                   refusal=refusal)
    if collection == "checks":
        context["verdict"], context["notes"] = admissibility_of(form, platform_of(request).calendar(),
                                                                translator(request))
    return render(request, "proceedings/new.html", status, **context)


for _collection in COLLECTION_TITLES:
    _new(_collection)  # before the card: `/checks/new` is not a proceeding's id
    _register(_collection)
    _card(_collection)
_resolutions("checks")
for _collection in COLLECTION_TITLES:
    _attachments_page(_collection)
