"""The pages of proceedings (issue 8 §5, web), one set for every collection — checks, acts, evaluations,
analyses: the register (filters, sortable columns, numbered pages, CSV and XLSX export), the card (the
timeline of steps, the open deadlines with days left, lateness, the allowed next steps as forms, the
withdrawal of the last step) and the form of a new one (for checks with admissibility evaluated as the
user types). Every change goes through `nadzor.services.proceedings`; forms carry the CSRF token."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from babel.support import NullTranslations, Translations
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, QueryParams

from nadzor import rules
from nadzor.adapters.db.tables import people, users
from nadzor.domain.org import POSITION_LABELS, Office
from nadzor.proceedings.kernel import Kind, StepType
from nadzor.rules.base import cite
from nadzor.rules.instruction.checks import bin_iin_valid
from nadzor.services import org
from nadzor.services import proceedings as stored
from nadzor.services.context import Actor, Permission
from nadzor.services.errors import Conflict, InvalidInput
from nadzor.web import security
from nadzor.web.proceeding_labels import (
    ADMISSIBILITY_REQUIRES,
    COLLECTION_TITLES,
    DEADLINE_LABELS,
    N_,
    Widget,
    code_label,
    field_label,
    kind_of_collection,
    signer_title,
    step_label,
    widgets,
)
from nadzor.web.routing import FORM, endpoint
from nadzor.web.security import DB, current_actor
from nadzor.web.security import platform as platform_of
from nadzor.web.templating import LOCALES, render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
P = Permission
PAGE_SIZES = (20, 50, 100)
#: Register columns: (sort key, Russian header).
COLUMNS = (("number", N_("Номер")), ("office", N_("Прокуратура")), ("subject", N_("Субъект")),
           ("status", N_("Статус")), ("opened_on", N_("Начато")), ("last_day", N_("Последний день")),
           ("next_due", N_("Ближайший срок")))
_FILTER_KEYS = ("office_id", "exact", "status", "q", "opened_from", "opened_to", "overdue", "due_within")
#: Step keys that are not fields of the step (shown by the timeline itself).
_STEP_META = frozenset({"type", "date", "index", "seq", "withdrawn", "withdrawn_reason", "withdrawn_by",
                        "withdrawn_at", "details", "author", "recorded_at", "signer", "group_leader"})
_SIGNERS = ("signer", "group_leader")
FILTER_LABELS = {"office_id": N_("Прокуратура"), "status": N_("Статус"), "q": N_("Субъект"),
                 "opened_from": N_("Начато с"), "opened_to": N_("Начато по"),
                 "due_within": N_("Срок истекает в течение (рабочих дней)"),
                 "sort": N_("Сортировка"), "page": N_("Страница")}
NEW_LABELS = {"office_id": N_("Прокуратура"), "subject_name": N_("Наименование"), "bin_iin": N_("БИН/ИИН"),
              "date": N_("Дата"), "version": N_("Версия"), "reason": N_("Причина отзыва"),
              "confirm": N_("Подтверждение")}


#: Inputs of a step form that go to the step's `details` (services/check_details.py), posted as
#: `details.<name>`: (name, label, input kind).
STEP_DETAILS: dict[tuple[str, str], tuple[tuple[str, str, str], ...]] = {
    ("check", "resolution_signed"): (
        ("number", N_("Номер постановления"), "text"), ("topic", N_("Предмет (тематика) проверки"), "text"),
        ("period_from", N_("Проверяемый период: с"), "date"), ("period_to", N_("Проверяемый период: по"), "date"),
        ("assignees", N_("Кому поручена проверка"), "people"),
        ("subject_location", N_("Местонахождение субъекта"), "text"), ("subject_bin_iin", N_("БИН/ИИН"), "text"),
        ("subject_rights_duties", N_("Права и обязанности проверяемого субъекта"), "textarea")),
    ("check", "composition_changed"): (("assignees", N_("Кому поручена проверка"), "people"),),
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


def posted_details(kind: Kind, step_type: str, form: FormData) -> dict[str, Any] | None:
    """The `details` of a step form: its detail inputs, blank ones left out (people as their ids)."""
    spec = STEP_DETAILS.get((kind.name, step_type))
    if not spec:
        return None
    out: dict[str, Any] = {}
    for name, _label, how in spec:
        if how == "people":
            chosen = [str(v).strip() for v in form.getlist(f"details.{name}") if str(v).strip()]
            if chosen:
                out[name] = [int(v) if v.isdigit() else v for v in chosen]
            continue
        value = str(form.get(f"details.{name}", "")).strip()
        if value:
            out[name] = value
    return out


def page(method: str, path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return endpoint(router, method, path, P.SIGNED_IN, response_class=HTMLResponse)


def _today(request: Request) -> date:
    return security.today(request)


Translate = Callable[[str], str]


@lru_cache(maxsize=4)
def _catalog(lang: str) -> NullTranslations:
    return Translations.load(str(LOCALES), [lang], domain="messages")


def translator(request: Request) -> Translate:
    """The catalog's `gettext` in the request's language, for labels put together in Python."""
    return _catalog(security.language(request)).gettext


def _identity(text: str) -> str:
    return text


def _widgets(kind: Kind, spec: StepType, t: Translate) -> list[Widget]:
    return [replace(w, label=t(w.label), options=tuple((c, t(label)) for c, label in w.options))
            for w in widgets(kind, spec)]


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ================================================================================ helpers


def _offices(session: Session, actor: Actor) -> dict[int, Office]:
    return {o.id: o for o in org.all_offices(session) if o.id is not None and actor.sees_office(o.id)}


def _office_options(session: Session, actor: Actor) -> list[tuple[str, str]]:
    return [(str(i), o.name_ru) for i, o in sorted(_offices(session, actor).items(), key=lambda x: x[1].name_ru)]


def _people_options(session: Session, actor: Actor) -> list[tuple[str, str]]:
    offices = {o.id: o for o in org.all_offices(session)}
    out = []
    for person in org.access_people(session, actor):
        office = offices.get(person.office_id)
        title = POSITION_LABELS.get(person.position, person.position)
        out.append((str(person.id), f"{person.full_name} — {title}, {office.name_ru if office else ''}"))
    return sorted(out, key=lambda x: x[1])


def _parse_date(raw: str, field: str, errors: list[dict[str, str]]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append({"field": field, "message": "ожидается дата"})
        return None


def _parse_int(raw: str, field: str, errors: list[dict[str, str]], low: int = 0) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < low:
        errors.append({"field": field, "message": "ожидается целое число" + (f" не меньше {low}" if low else "")})
        return None
    return int(raw)


def _summary(errors: list[dict[str, str]], labels: Callable[[str], str], anchor: Callable[[str], str]
             ) -> list[dict[str, str]]:
    """The error summary (GOV.UK style): each error with the Russian name of its field and a link
    to the input."""
    return [{"label": labels(e["field"]), "message": e["message"], "href": "#" + anchor(e["field"])}
            for e in errors]


# ================================================================================ register


def _register_filter(params: QueryParams, kind: Kind, *, export: bool = False
                     ) -> tuple[stored.RegisterFilter, dict[str, str], list[dict[str, str]], int, int]:
    """The register's filters from the query string: the filter, the values to show again, errors,
    the page number and the page size."""
    errors: list[dict[str, str]] = []
    values = {k: str(params.get(k, "")).strip() for k in (*_FILTER_KEYS, "sort", "dir", "size")}
    office_id = _parse_int(values["office_id"], "office_id", errors, 1)
    status = values["status"] or None
    if status is not None and status not in kind.statuses:
        errors.append({"field": "status", "message": "выберите статус из списка"})
        status = None
    due_within = _parse_int(values["due_within"], "due_within", errors)
    if due_within is not None and due_within > 365:
        errors.append({"field": "due_within", "message": "не больше 365 рабочих дней"})
        due_within = None
    opened_from = _parse_date(values["opened_from"], "opened_from", errors)
    opened_to = _parse_date(values["opened_to"], "opened_to", errors)
    if opened_from and opened_to and opened_to < opened_from:
        errors.append({"field": "opened_to", "message": "конец периода раньше его начала"})
        opened_to = None
    sort = values["sort"] if values["sort"] in stored.SORT_COLUMNS else "opened_on"
    values["sort"] = sort
    descending = values["dir"] != "asc"
    values["dir"] = "desc" if descending else "asc"
    size = int(values["size"]) if values["size"].isdigit() and int(values["size"]) in PAGE_SIZES else PAGE_SIZES[0]
    values["size"] = str(size)
    raw_page = str(params.get("page", "1"))
    page_no = int(raw_page) if raw_page.isdigit() and int(raw_page) >= 1 else 1
    subtree = values["exact"] not in ("1", "on")
    values["exact"] = "" if subtree else "1"
    flt = stored.RegisterFilter(
        office_id=office_id, subtree=subtree, status=status, subject=values["q"][:200], opened_from=opened_from,
        opened_to=opened_to, overdue=values["overdue"] in ("1", "on"), due_within=due_within, sort=sort,
        descending=descending, limit=None if export else size, offset=(page_no - 1) * size)
    return flt, values, errors, page_no, size


def _pages(current: int, last: int) -> list[int | None]:
    """Numbered pages around the current one, the first and the last; None for a gap."""
    wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    out: list[int | None] = []
    for n in wanted:
        previous = out[-1] if out else None
        if previous is not None and n - previous > 1:
            out.append(None)
        out.append(n)
    return out


def _rows(session: Session, kind: Kind, items: list[dict[str, Any]], actor: Actor, t: Translate = _identity
          ) -> list[dict[str, Any]]:
    offices = _offices(session, actor)
    return [item | {"office_name": offices[item["office_id"]].name_ru if item["office_id"] in offices else "",
                    "status_label": t(kind.statuses.get(item["status"] or "", "—"))} for item in items]


def _register(collection: str) -> None:
    kind_name, title, _one, new_title, _subject = COLLECTION_TITLES[collection]

    @page("GET", f"/{collection}")
    def register_page(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
        kind = kind_of_collection(collection)
        flt, values, errors, page_no, size = _register_filter(request.query_params, kind)
        found = stored.access_proceedings(session, collection, actor=actor, today=_today(request), flt=flt,
                                          calendar=platform_of(request).calendar())
        last = max(1, math.ceil(found["total"] / size))
        if page_no > last:  # past the end (rows removed, a stale link): the last page instead
            return _see_other(f"/{collection}?" + urlencode({**dict(request.query_params), "page": last}))
        filters = {k: values[k] for k in _FILTER_KEYS if values[k]}
        base = urlencode(filters | {"sort": values["sort"], "dir": values["dir"], "size": values["size"]})
        sort_links = {key: urlencode(filters | {"sort": key, "size": values["size"],
                                                "dir": "asc" if values["sort"] == key and values["dir"] == "desc"
                                                else ("desc" if values["sort"] == key else "asc")})
                      for key, _ in COLUMNS}
        return render(request, "proceedings/register.html", 422 if errors else 200, collection=collection,
                      title=title, new_title=new_title, kind=kind,
                      rows=_rows(session, kind, found["items"], actor, translator(request)),
                      total=found["total"], values=values, columns=COLUMNS, sort_links=sort_links,
                      page_no=page_no, last_page=last, pages=_pages(page_no, last), base=base,
                      export=urlencode(filters | {"sort": values["sort"], "dir": values["dir"]}),
                      office_options=_office_options(session, actor), page_sizes=PAGE_SIZES,
                      errors=errors, summary=_summary(errors, lambda f: FILTER_LABELS.get(f, f), lambda f: f"f-{f}"),
                      kind_name=kind_name)

    @page("GET", f"/{collection}/export")
    def register_export(request: Request, format: str = "csv", actor: Actor = Depends(current_actor),
                        session: Session = DB) -> Response:
        kind = kind_of_collection(collection)
        flt, _values, errors, _page, _size = _register_filter(request.query_params, kind, export=True)
        if errors:
            raise InvalidInput.one(errors[0]["field"], errors[0]["message"])
        found = stored.access_proceedings(session, collection, actor=actor, today=_today(request), flt=flt,
                                          calendar=platform_of(request).calendar())
        table = export_table(_rows(session, kind, found["items"], actor))
        if format == "xlsx":
            return Response(xlsx_bytes(table, title), media_type=XLSX,
                            headers={"content-disposition": f'attachment; filename="{collection}.xlsx"'})
        if format != "csv":
            raise InvalidInput.one("format", "ожидается csv или xlsx")
        return Response(csv_text(table).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                        headers={"content-disposition": f'attachment; filename="{collection}.csv"'})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_HEADER = ("Номер", "Прокуратура", "Субъект", "Статус", "Начато", "Последний день", "Ближайший срок",
                 "Просрочено")


def _ru(day: str | None) -> str:
    return date.fromisoformat(day).strftime("%d.%m.%Y") if day else ""


def export_table(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return [EXPORT_HEADER, *((r["number"], r["office_name"], r["subject"], r["status_label"], _ru(r["opened_on"]),
                              _ru(r["last_day"]), _ru(r["next_due"]), "да" if r["overdue"] else "нет")
                             for r in rows)]


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula: text starting with = + - @ tab or CR gets a '."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_text(table: list[tuple[str, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in table:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def xlsx_bytes(table: list[tuple[str, ...]], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    for row in table:
        sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


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


def _timeline(kind: Kind, steps: list[dict[str, Any]], t: Translate, authors: dict[str, str]
              ) -> list[dict[str, Any]]:
    live = {s["index"]: s for s in steps if not s["withdrawn"]}
    out = []
    for s in steps:
        facts = [(t(field_label(kind.name, k)), _display(kind, k, v, live, t)) for k, v in s.items()
                 if k not in _STEP_META and v is not None]
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
    first_details = item["steps"][0]["details"] if item["steps"] else {}
    bin_iin = first_details.get("subject_bin_iin") or first_details.get("bin_iin")
    if bin_iin:
        facts.insert(0, (N_("БИН/ИИН"), str(bin_iin)))
    if item.get("assignees"):
        facts.append((N_("Проверку проводят"), "; ".join(a["name"] for a in item["assignees"])))
    documents = _documents().access_documents(session, collection, item["id"], actor=actor,
                                              calendar=platform_of(request).calendar())["documents"]
    return {"collection": collection, "kind": kind, "item": item, "state": state,
            "documents": documents, "sources_labels": _source_labels(),
            "title": COLLECTION_TITLES[collection][2], "register_title": COLLECTION_TITLES[collection][1],
            "office_name": office.name_ru if office else "",
            "status_label": t(kind.statuses.get(state["status"] or "", "—")),
            "timeline": _timeline(kind, item["steps"], t, _authors(session, item["steps"])),
            "deadlines": deadlines, "late": late, "forms": forms,
            "step_options": step_options, "people": _people_options(session, actor), "facts": facts,
            "can_withdraw": len(live) > 1, "last_live": t(step_label(kind, live[max(live)]["type"])) if live else "",
            "today": _today(request)}


def _documents() -> Any:
    from nadzor.services import documents

    return documents


def _source_labels() -> dict[str, str]:
    from nadzor.web.proceeding_labels import SOURCE_LABELS

    return SOURCE_LABELS


def _render_card(request: Request, session: Session, actor: Actor, collection: str, proceeding_id: int,
                 status: int = 200, **extra: Any) -> Response:
    item = stored.access_proceeding(session, collection, proceeding_id, actor=actor, today=_today(request),
                                    calendar=platform_of(request).calendar())
    context = _card_context(request, session, actor, collection, item)
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
    by_field: dict[str, str] = {}
    for e in exc.as_dicts():
        by_field.setdefault(_field_of(e["field"]), e["message"])
    names = {w.name for w in widgets(kind, kind.steps[step_type])} if step_type in kind.steps else set()
    detail_labels = {f"details.{n}": label for n, label, _how in STEP_DETAILS.get((kind.name, step_type), ())}

    def label(f: str) -> str:
        name = _field_of(f)
        if name in detail_labels:
            return detail_labels[name]
        return field_label(kind.name, name) if name in names else NEW_LABELS.get(name, N_("Шаг"))

    def anchor(f: str) -> str:
        name = _field_of(f)
        if name in detail_labels:
            return f"{step_type}-{name.replace('.', '-')}"
        return f"{step_type}-{name}" if name in names or name == "date" else f"form-{step_type}"

    return by_field, _summary(exc.as_dicts(), label, anchor)


def _posted_version(form: FormData) -> Any:
    raw = str(form.get("version", "")).strip()
    return int(raw) if raw.isdigit() else raw


def _card(collection: str) -> None:
    @page("GET", f"/{collection}/{{proceeding_id}}")
    def card_page(request: Request, proceeding_id: int, actor: Actor = Depends(current_actor),
                  session: Session = DB) -> Response:
        return _render_card(request, session, actor, collection, proceeding_id)

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
        plat = platform_of(request)
        try:
            stored.do_record_step(session, collection, proceeding_id, data, actor=actor, calendar=plat.calendar(),
                                  today=_today(request))
        except InvalidInput as exc:
            session.rollback()
            errors, summary = _step_errors(kind, step_type, exc)
            return _render_card(request, session, actor, collection, proceeding_id, 422, open_form=step_type,
                                form_errors=errors, summary=summary, posted=dict(form.multi_items()),
                                posted_lists={k: form.getlist(k) for k in form})
        except stored.Refused as exc:  # 403 where storage refuses who records it (I.15 `not_assignee`)
            session.rollback()
            return _render_card(request, session, actor, collection, proceeding_id, getattr(exc, "status", 409),
                                open_form=step_type,
                                refusal=exc.message, posted=dict(form.multi_items()),
                                posted_lists={k: form.getlist(k) for k in form})
        except Conflict as exc:
            session.rollback()
            return _render_card(request, session, actor, collection, proceeding_id, 409,
                                refusal=f"{exc} Страница обновлена: проверьте изменения и повторите.")
        return _see_other(f"/{collection}/{proceeding_id}#timeline")

    @page("POST", f"/{collection}/{{proceeding_id}}/withdrawal")
    def withdraw_step(request: Request, proceeding_id: int, form: FormData = FORM,
                      actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
        reason = str(form.get("reason", "")).strip()
        plat = platform_of(request)
        try:
            if form.get("confirm") not in ("on", "1", "true"):
                raise InvalidInput.one("confirm", "подтвердите отзыв шага")
            if not reason:
                raise InvalidInput.one("reason", "укажите причину отзыва")
            stored.do_withdraw(session, collection, proceeding_id, {"version": _posted_version(form),
                                                                    "reason": reason},
                               actor=actor, calendar=plat.calendar(), today=_today(request))
        except InvalidInput as exc:
            session.rollback()
            errors = {e["field"]: e["message"] for e in exc.as_dicts()}
            summary = _summary(exc.as_dicts(), lambda f: NEW_LABELS.get(f, f), lambda f: f"withdraw-{f}")
            return _render_card(request, session, actor, collection, proceeding_id, 422, withdraw_errors=errors,
                                withdraw_summary=summary, withdraw_reason=reason)
        except (stored.Refused, Conflict) as exc:
            session.rollback()
            return _render_card(request, session, actor, collection, proceeding_id, 409,
                                withdraw_refusal=str(exc))
        return _see_other(f"/{collection}/{proceeding_id}#timeline")


# ================================================================================ a new one


def _new_context(request: Request, session: Session, actor: Actor, collection: str) -> dict[str, Any]:
    kind = kind_of_collection(collection)
    spec = kind.steps[kind.first]
    t = translator(request)
    _k, _title, _one, new_title, subject_label = COLLECTION_TITLES[collection]
    return {"collection": collection, "kind": kind, "title": new_title, "subject_label": subject_label,
            "widgets": _widgets(kind, spec, t), "first": kind.first, "first_label": t(step_label(kind, kind.first)),
            "office_options": _office_options(session, actor), "people": _people_options(session, actor),
            "step_options": [], "register_title": COLLECTION_TITLES[collection][1], "posted": {},
            "details": [(n, t(label), how) for n, label, how in STEP_DETAILS.get((kind.name, kind.first), ())],
            "detail_errors": {},
            "posted_lists": {}, "errors": {}, "summary": [], "default_office": str(actor.office_id or "")}


def admissibility_of(form: FormData, t: Translate = _identity) -> tuple[str, list[str]]:
    """`check.admissibility` of the new check's form: ("", []) while the subject or basis is not
    chosen; else ("admissible" | "not_admissible", Russian notes of what is required)."""
    data: dict[str, Any] = {k: str(form.get(k, "")) for k in ("subject_kind", "basis") if form.get(k)}
    if len(data) < 2:
        return "", []
    data["protected_interest"] = [str(v) for v in form.getlist("protected_interest")]
    data["exceptions"] = [str(v) for v in form.getlist("exceptions")]
    data["control_body_failed"] = form.get("control_body_failed") in ("on", "true", "1")
    try:
        result = rules.evaluate("check.admissibility", data)["result"]
    except InvalidInput:
        return "", []
    if result["admissible"]:
        return "admissible", []
    return "not_admissible", [t(ADMISSIBILITY_REQUIRES.get(r, r)) for r in result["requires"]]


def _new(collection: str) -> None:
    @page("GET", f"/{collection}/new")
    def new_form(request: Request, actor: Actor = Depends(current_actor), session: Session = DB) -> Response:
        context = _new_context(request, session, actor, collection)
        raw_id, raw_step = request.query_params.get("origin_analysis", ""), request.query_params.get("origin_step", "")
        if collection == "checks" and raw_id.isdigit() and raw_step.isdigit():
            # R.23: a check opened on an analysis's petition — its business path, filled from the petition
            from nadzor.services.analysis_details import petition_prefill

            found = petition_prefill(session, int(raw_id), int(raw_step), actor=actor)
            context["origin"] = found
            context["posted"] = {"office_id": str(found["office_id"]), "subject_name": found["subject_name"],
                                 "bin_iin": found["bin_iin"], "date": found["date"],
                                 "subject_kind": found["subject_kind"], "basis": found["basis"]}
            context["verdict"], context["notes"] = admissibility_of(FormData(context["posted"]), translator(request))
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
        raw_office = str(form.get("office_id", "")).strip()
        data: dict[str, Any] = {"office_id": int(raw_office) if raw_office.isdigit() else raw_office,
                                "step": posted_step(kind, kind.first, form), "details": details}
        origin_id, origin_step = str(form.get("origin_analysis", "")), str(form.get("origin_step", ""))
        if collection == "checks" and origin_id.isdigit() and origin_step.isdigit():
            details["origin_analysis"] = {"id": int(origin_id), "step": int(origin_step)}
        try:
            if bin_iin:
                if not bin_iin_valid(bin_iin):
                    raise InvalidInput.one("details.bin_iin", "БИН/ИИН — 12 цифр с верным контрольным разрядом")
                details["bin_iin"] = bin_iin
            if not raw_office:
                raise InvalidInput.one("office_id", "выберите прокуратуру")
            item = stored.do_open(session, collection, data, actor=actor, calendar=platform_of(request).calendar())
        except InvalidInput as exc:
            session.rollback()
            return _new_again(request, session, actor, collection, form, exc.as_dicts(), 422)
        except stored.Refused as exc:
            session.rollback()
            return _new_again(request, session, actor, collection, form, [], 409, refusal=exc.message)
        return _see_other(f"/{collection}/{item['id']}")

    if collection == "checks":
        @page("POST", f"/{collection}/new/admissibility")
        def admissibility(request: Request, form: FormData = FORM) -> Response:
            verdict, notes = admissibility_of(form, translator(request))
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

    def label(f: str) -> str:
        if _field_of(f) in detail_labels and name_of(f) != "subject_name":
            return detail_labels[_field_of(f)]
        name = name_of(f)
        if name == "subject_name":
            return COLLECTION_TITLES[collection][4]
        return field_label(kind.name, name) if name in names else NEW_LABELS.get(name, N_("Форма"))

    def anchor(f: str) -> str:
        if _field_of(f) in detail_labels and name_of(f) != "subject_name":
            return f"{kind.first}-details-{_field_of(f).split('.', 1)[1]}"
        return f"{kind.first}-{name_of(f)}"

    by_field: dict[str, str] = {}
    detail_errors: dict[str, str] = {}
    for e in errors:
        if _field_of(e["field"]) in detail_labels and name_of(e["field"]) != "subject_name":
            detail_errors.setdefault(_field_of(e["field"]), e["message"])
        else:
            by_field.setdefault(name_of(e["field"]), e["message"])
    origin_id, origin_step = str(form.get("origin_analysis", "")), str(form.get("origin_step", ""))
    if origin_id.isdigit() and origin_step.isdigit():
        context["origin"] = {"analysis_id": int(origin_id), "step": int(origin_step), "analysis_number": ""}
    context.update(posted=dict(form.multi_items()), posted_lists={k: form.getlist(k) for k in form},
                   errors=by_field, detail_errors=detail_errors, summary=_summary(errors, label, anchor),
                   refusal=refusal)
    if collection == "checks":
        context["verdict"], context["notes"] = admissibility_of(form, translator(request))
    return render(request, "proceedings/new.html", status, **context)


for _collection in COLLECTION_TITLES:
    _new(_collection)  # before the card: `/checks/new` is not a proceeding's id
    _register(_collection)
    _card(_collection)
