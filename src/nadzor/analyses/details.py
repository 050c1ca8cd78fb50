"""What a stored analysis holds besides its contract steps (issue 10), validated at entry.

`details` of an analysis's steps are never seen by `replay`; storage checks them when a step is
recorded (and when analyses are imported), so the UI, the API and the import refuse the same things:

* **Sources (R.12)**: the checklist of the twelve sources R.12 lists, each marked used or not with a
  note (the «other sources» of R.12 p. 12, when used, named in its note); one versioned record per
  analysis, entered on the card until the analysis is closed, each change audited.
* **The rapport (R.11)** an analysis opened `via: rapport` rests on: `rapport_date` (not after the
  opening), `rapport_author` (full name and position of who submits it), the subject — `topic` (or
  `subject_name`, as the new-analysis form posts it) —, the motivated `grounds`, the period analysed
  (`period_from`, `period_to`), the term `term_days` (1–30: R.16), and `bodies` (the bodies and units
  involved) when a subject-crosscutting group conducts it (`group_leader`, R.3). A part missing or
  malformed is 422 keyed by field. (An analysis opened from a plan item takes its subject from the
  item, R.11 last part.)
* **The certificate (R.18)** on the `ended` step: its four parts — (1) the analysis's subject and the
  period it covered (`topic`, `period_from`, `period_to`; the date is the step's), (2) the facts
  established with statistics (`findings`, `statistics`), (3) the conclusions on the state of legality
  with the causes and conditions of the offences (`conclusions`, `causes`), (4) the proposals
  (`proposals`). A malformed part is 422 keyed by field; a missing part refuses the step (409
  `certificate_incomplete`, R.18), nothing stored.
* **A requirement (R.21–22)**: `authority_name` (the authorized body it is sent to), `subject_name`
  (the state body or business to be checked), and `justification` whenever the requirement is sent
  with a notification (R.21 p. 2, R.22 p. 3: «с приведением обоснования целесообразности»).
* **A petition to the Prosecutor General (R.23)**: `subject_name` (the business), `subject_bin_iin?`,
  the motivated `justification`, the signs of violations (`violations`) and the measures taken by the
  authorized bodies (`measures`). From it the check's business path is opened as a linked check
  (`details.origin_analysis` of the check's `opened`: `{id, step}`), stored in `check_origins` and
  shown on both cards; a petition with its check is not withdrawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import Field
from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.orm import Session

from nadzor.analyses.tables import analysis_sources, check_origins
from nadzor.audit import service as audit
from nadzor.casework.service import Refused
from nadzor.casework.tables import proceeding_deadlines, proceeding_steps
from nadzor.casework.tables import proceedings as proceedings_table
from nadzor.checks.details import detail_day
from nadzor.domain.audit import AuditAction
from nadzor.domain.org import POSITION_LABELS, Office
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import Conflict, FieldError, InvalidInput, Message, NotFound
from nadzor.org.service import parse
from nadzor.org.tables import offices
from nadzor.rules.analysis.analysis import requirement_authority
from nadzor.rules.base import Input, Listing
from nadzor.rules.instruction.checks import bin_iin_valid

#: R.12: the sources of information an analysis uses, in the order of the paragraph.
SOURCES: dict[str, str] = {
    "statistics": "статистические данные",
    "budget": "информация о выделенных средствах из государственного бюджета",
    "public_meetings": "итоги встреч с населением",
    "state_body_failures": "факты неэффективной работы государственных органов",
    "complaint_results": "результаты рассмотрения обращений уполномоченными государственными органами",
    "media": "публикации в средствах массовой информации (в том числе в интернет-ресурсах)",
    "state_body_information": "информация государственных органов, их баз данных",
    "information_systems": "информационные системы и ресурсы, в том числе интегрированные с системой "
                           "информационного обмена",
    "court_acts": "судебные акты по уголовным, гражданским, административным делам и делам об "
                  "административных правонарушениях",
    "previous_checks": "результаты предыдущих проверок прокуратуры и государственных органов",
    "operational_results": "результаты оперативно-розыскных, специальных мероприятий и негласных следственных "
                           "действий",
    "other": "другие источники информации",
}
#: R.18: the parts of the certificate, by the step's details key, with their Russian names.
CERTIFICATE_PARTS: dict[str, str] = {
    "topic": "предмет анализа (ч. 1)",
    "period_from": "начало периода, охваченного анализом (ч. 1)",
    "period_to": "окончание периода, охваченного анализом (ч. 1)",
    "findings": "установленные в ходе анализа сведения (ч. 2)",
    "statistics": "статистика (ч. 2)",
    "conclusions": "выводы о состоянии законности (ч. 3)",
    "causes": "причины и условия совершения правонарушений (ч. 3)",
    "proposals": "предложения о способах разрешения и устранения правонарушений, проблем, недостатков и "
                 "пробелов в законодательстве (ч. 4)",
}
REQUIREMENT_PARTS = ("authority_name", "subject_name", "justification")
PETITION_PARTS = ("subject_name", "subject_bin_iin", "justification", "violations", "measures")
_DECISION_DETAILS = {"requirement": REQUIREMENT_PARTS, "gp_petition": PETITION_PARTS}
_TEXT_LIMIT = 10_000
_SHORT = {"topic": 1000, "authority_name": 500, "subject_name": 500, "rapport_author": 500}
NOTIFY_LABELS = {"regional_office": "прокуратура области", "main_military": "Главная военная прокуратура",
                 "main_transport": "Главная транспортная прокуратура", "gpo": "Генеральная прокуратура"}


def _text(out: dict[str, Any], name: str, errors: list[FieldError]) -> None:
    value = out.get(name)
    if value is None:
        return
    limit = _SHORT.get(name, _TEXT_LIMIT)
    if not isinstance(value, str):
        errors.append(FieldError(f"details.{name}", "ожидается строка"))
    elif len(value) > limit:
        errors.append(FieldError(f"details.{name}", Message("не длиннее %(limit)s символов", limit=limit)))
    elif not value.strip():
        out.pop(name)
    else:
        out[name] = value.strip()


def _step_day(step: dict[str, Any]) -> date | None:
    value = step.get("date")
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# ============================================================================ at entry


def certificate_missing(details: dict[str, Any] | None) -> list[str]:
    """R.18: the parts of the certificate not given (details keys, in the order of the paragraph)."""
    given = details or {}
    return [name for name in CERTIFICATE_PARTS if given.get(name) in (None, "")]


def storage_check(step: dict[str, Any], details: dict[str, Any] | None) -> None:
    """Before an analysis step is stored: the certificate of R.18 with its four parts is drawn up when
    the analysis ends; a part not given refuses the step (`certificate_incomplete`)."""
    if step.get("type") != "ended":
        return
    missing = certificate_missing(details if isinstance(details, dict) else None)
    if missing:
        raise Refused("certificate_incomplete", ["R.18"], Message(
            "Справка о результатах анализа не составлена полностью: не указаны %(parts)s (п. 18 Правил).",
            parts=Listing((CERTIFICATE_PARTS[m] for m in missing), "; ")))


def entered(session: Session, office: Office, step: dict[str, Any], details: dict[str, Any] | None
            ) -> dict[str, Any] | None:
    """The details of an analysis step as stored, or `InvalidInput` naming every bad or missing part:
    the certificate (`ended`, R.18), a requirement (R.21–22), a petition (R.23)."""
    step_type = step.get("type")
    decision = step.get("decision") if step_type == "decision" else None
    rapport = step_type == "opened" and step.get("via") == "rapport"
    if step_type != "ended" and decision is None and not rapport:
        return details
    out: dict[str, Any] = dict(details or {})
    errors: list[FieldError] = []
    if rapport:
        _rapport(step, out, errors)
    elif step_type == "ended":
        for name in ("topic", "findings", "statistics", "conclusions", "causes", "proposals"):
            _text(out, name, errors)
        start, end = detail_day(out, "period_from", errors), detail_day(out, "period_to", errors)
        day = _step_day(step)
        if start and end and end < start:
            errors.append(FieldError("details.period_to", "окончание периода раньше его начала"))
        elif end and day and end > day:
            errors.append(FieldError("details.period_to", "период, охваченный анализом, не может оканчиваться "
                                                          "позже даты справки"))
    else:
        takes = _DECISION_DETAILS.get(str(decision), ())
        for name in sorted(set(PETITION_PARTS) | set(REQUIREMENT_PARTS)):
            if out.get(name) not in (None, "") and name not in takes:
                errors.append(FieldError(f"details.{name}", "не относится к этому решению"))
        for name in takes:
            if name != "subject_bin_iin":
                _text(out, name, errors)
        if decision == "gp_petition":
            _petition(out, errors)
        elif decision == "requirement":
            _requirement(step, out, errors)
    if errors:
        raise InvalidInput(errors)
    if step_type == "ended":
        storage_check(step, out)
    return out


RAPPORT_PARTS: dict[str, str] = {
    "rapport_date": "дата рапорта", "rapport_author": "фамилия, имя, отчество и должность лица, подающего рапорт",
    "topic": "предмет (тематика) анализа", "grounds": "мотивированные основания",
    "period_from": "начало периода анализа", "period_to": "окончание периода анализа",
    "term_days": "срок проведения анализа (календарных дней)",
}


def _rapport(step: dict[str, Any], out: dict[str, Any], errors: list[FieldError]) -> None:
    """R.11: what the rapport states; R.3: the bodies involved when a subject-crosscutting group conducts it."""
    if out.get("topic") in (None, "") and isinstance(out.get("subject_name"), str):
        out["topic"] = out["subject_name"]
    for name in ("rapport_author", "topic", "grounds", "bodies"):
        _text(out, name, errors)
    start, end = detail_day(out, "period_from", errors), detail_day(out, "period_to", errors)
    written = detail_day(out, "rapport_date", errors)
    if start and end and end < start:
        errors.append(FieldError("details.period_to", "окончание периода анализа раньше его начала"))
    day = _step_day(step)
    if written and day and written > day:
        errors.append(FieldError("details.rapport_date", "рапорт не может быть датирован позже его согласования "
                                                         "(даты начала анализа)"))
    term = out.get("term_days")
    if isinstance(term, str) and term.strip().isdigit():
        term = out["term_days"] = int(term.strip())
    if term is not None and (not isinstance(term, int) or isinstance(term, bool) or not 1 <= term <= 30):
        errors.append(FieldError("details.term_days", "срок проведения анализа — от 1 до 30 календарных дней "
                                                      "(п. 16 Правил)"))
    if errors:
        return
    for name, label in RAPPORT_PARTS.items():
        if out.get(name) in (None, ""):
            errors.append(FieldError(f"details.{name}", Message(
                "обязательная часть не указана в рапорте: %(part)s (п. 11 Правил)", part=Message(label))))
    if step.get("group_leader") is not None and not out.get("bodies"):
        errors.append(FieldError("details.bodies", Message("обязательная часть не указана в рапорте: органы, "
                                                           "ведомства и учреждения органов прокуратуры, привлекаемые "
                                                           "к анализу предметно-сквозной группы (пп. 3, 11 Правил)")))


def _petition(out: dict[str, Any], errors: list[FieldError]) -> None:
    """R.23: the petition states the motivated justification, the signs of violations and the measures
    taken by the authorized bodies; the business is named (its BIN/IIN checked when given)."""
    number = out.get("subject_bin_iin")
    if number in (None, ""):
        out.pop("subject_bin_iin", None)
    elif not isinstance(number, str) or not bin_iin_valid(number.strip()):
        errors.append(FieldError("details.subject_bin_iin", "БИН/ИИН — 12 цифр с верным контрольным разрядом"))
    else:
        out["subject_bin_iin"] = number.strip()
    if errors:
        return
    labels = {"subject_name": "субъект предпринимательства", "justification": "мотивированное обоснование",
              "violations": "признаки нарушений законности",
              "measures": "меры, принятые уполномоченными государственными органами"}
    for name, label in labels.items():
        if not out.get(name):
            errors.append(FieldError(f"details.{name}", Message(
                "обязательная часть не указана: %(part)s (п. 23 Правил)", part=Message(label))))


def _requirement(step: dict[str, Any], out: dict[str, Any], errors: list[FieldError]) -> None:
    """R.21–22: to whom the requirement is sent and whom it is to check; the justification when the
    requirement goes with a notification of the superior office or the GPO."""
    if errors:
        return
    for name, label in (("authority_name", "уполномоченный государственный орган, которому направляется "
                                           "требование"),
                        ("subject_name", "государственный орган или субъект предпринимательства, проверка "
                                         "которого требуется")):
        if not out.get(name):
            errors.append(FieldError(f"details.{name}", Message(
                "обязательная часть не указана: %(part)s (пп. 21, 22 Правил)", part=Message(label))))
    signer = step.get("signer")
    target = step.get("target")
    if isinstance(signer, dict) and target in ("state_body", "business") and not out.get("justification"):
        position = signer.get("acting_for") or signer.get("position")
        ok, notify = requirement_authority(str(target), str(position), bool(step.get("concrete_harm_fact")))
        if ok and notify:
            errors.append(FieldError("details.justification", Message(
                "обязательная часть не указана: обоснование целесообразности направления требования — оно "
                "направляется с уведомлением (пп. 21, 22 Правил)")))


# ======================================================================== sources (R.12)


class SourceIn(Input):
    code: str = Field(max_length=40)
    used: bool = Field(strict=True)
    note: str = Field(default="", max_length=2000)


class SourcesIn(Input):
    version: int | None = Field(default=None, strict=True, ge=1, le=2**63 - 1)
    sources: list[SourceIn] = Field(max_length=len(SOURCES))


def _analysis_row(session: Session, analysis_id: int, actor: Actor, *, lock: bool = False) -> Row[Any]:
    query = select(proceedings_table).where(proceedings_table.c.id == analysis_id,
                                            proceedings_table.c.kind == "analysis")
    if lock:
        query = query.with_for_update()
    row = session.execute(query).first()
    if row is None or not actor.sees_office(row.office_id):
        raise NotFound(Message("%(what)s %(id)s", what=Message("анализ"), id=analysis_id))
    return row


def _sources_dict(row: Row[Any] | None) -> dict[str, Any]:
    given = {s["code"]: s for s in (row.sources if row is not None else [])}
    items = [{"code": code, "label": label, "used": bool(given.get(code, {}).get("used", False)),
              "note": given.get(code, {}).get("note", "")} for code, label in SOURCES.items()]
    return {"recorded": row is not None, "version": row.version if row is not None else None,
            "updated_by": row.updated_by if row is not None else None,
            "updated_at": row.updated_at.isoformat() if row is not None else None,
            "items": items, "used": [i for i in items if i["used"]]}


def sources_of(session: Session, analysis_id: int) -> dict[str, Any]:
    row = session.execute(select(analysis_sources).where(analysis_sources.c.proceeding_id == analysis_id)).first()
    return _sources_dict(row)


def access_sources(session: Session, analysis_id: int, *, actor: Actor) -> dict[str, Any]:
    actor.require(Permission.SIGNED_IN)
    _analysis_row(session, analysis_id, actor)
    return sources_of(session, analysis_id)


def do_record_sources(session: Session, analysis_id: int, data: Any, *, actor: Actor) -> dict[str, Any]:
    """R.12: the checklist of the sources used — every source of the paragraph marked used or not, with a
    note; «other sources», when used, named in the note. Recorded until the analysis is closed; a
    correction names the version it corrects."""
    actor.require(Permission.RECORD)
    cmd: SourcesIn = parse(SourcesIn, data)
    row = _analysis_row(session, analysis_id, actor, lock=True)
    errors: list[FieldError] = []
    seen: set[str] = set()
    for i, item in enumerate(cmd.sources):
        if item.code not in SOURCES:
            errors.append(FieldError(f"sources.{i}.code", Message("недопустимое значение; допустимые: %(codes)s",
                                                                          codes=", ".join(SOURCES))))
        elif item.code in seen:
            errors.append(FieldError(f"sources.{i}.code", "источник указан дважды"))
        seen.add(item.code)
        if item.code == "other" and item.used and not item.note.strip():
            errors.append(FieldError(f"sources.{i}.note", "укажите, какие другие источники информации использованы "
                                                          "(п. 12 Правил)"))
    for code in SOURCES:
        if code not in seen:
            errors.append(FieldError("sources", Message("в перечне нет источника «%(source)s»: отметьте каждый "
                                                        "источник пункта 12 Правил — использован или нет",
                                                        source=Message(SOURCES[code]))))
            break
    if errors:
        raise InvalidInput(errors)
    if row.status == "closed":
        raise Refused("analysis_closed", ["R.12"], Message("Производство по анализу %(number)s завершено: "
                                                          "перечень источников не изменяется", number=row.number))
    t = analysis_sources
    current = session.execute(select(t).where(t.c.proceeding_id == row.id).with_for_update()).first()
    before = _sources_dict(current) if current is not None else None
    if current is None and cmd.version is not None:
        raise Conflict.versions("Перечень источников", cmd.version, 0)
    if current is not None and cmd.version != current.version:
        if cmd.version is None:
            raise InvalidInput.one("version", "перечень уже отмечен: укажите его версию, чтобы исправить")
        raise Conflict.versions("Перечень источников", cmd.version, current.version)
    stored = [{"code": s.code, "used": s.used, "note": s.note.strip()}
              for s in sorted(cmd.sources, key=lambda s: list(SOURCES).index(s.code))]
    now = audit.now_utc()
    if current is None:
        session.execute(insert(t).values(proceeding_id=row.id, sources=stored, updated_by=actor.login,
                                         updated_at=now, version=1))
    else:
        session.execute(update(t).where(t.c.id == current.id).values(sources=stored, updated_by=actor.login,
                                                                      updated_at=now, version=current.version + 1))
    after = sources_of(session, row.id)
    audit.record(session, actor=actor, action=AuditAction.ANALYSIS_SOURCES_RECORDED, object_type="analysis",
                 object_id=row.id, before={"sources": before["items"]} if before else None,
                 after={"sources": after["items"], "version": after["version"]})
    return after


# ================================================================ the linked check (R.23)


class OriginIn(Input):
    id: int = Field(strict=True, ge=1, le=2**63 - 1)
    step: int = Field(strict=True, ge=0, le=100_000)


def _live(session: Session, proceeding_id: int) -> list[Row[Any]]:
    return list(session.execute(select(proceeding_steps).where(
        proceeding_steps.c.proceeding_id == proceeding_id, proceeding_steps.c.withdrawn.is_(False))
        .order_by(proceeding_steps.c.seq)).all())


def check_origin(session: Session, kind: str, step: dict[str, Any], details: dict[str, Any] | None,
                 actor: Actor) -> dict[str, Any] | None:
    """Before a check is opened: its `details.origin_analysis` `{id, step}` names a live `gp_petition`
    decision of an analysis in the actor's scope with no check yet, and the check is of a business
    (R.19 p. 4, R.23: the petition opens the check's business path). Returns the link to store."""
    if kind != "check" or not details or details.get("origin_analysis") is None:
        return None
    origin: OriginIn = parse(OriginIn, details["origin_analysis"], "details.origin_analysis")
    row = session.execute(select(proceedings_table).where(proceedings_table.c.id == origin.id,
                                                          proceedings_table.c.kind == "analysis")).first()
    if row is None or not actor.sees_office(row.office_id):
        raise InvalidInput.one("details.origin_analysis.id", Message("нет анализа %(id)s в пределах ваших полномочий",
                                                                        id=origin.id))
    live = _live(session, row.id)
    named = live[origin.step] if origin.step < len(live) else None
    if named is None or named.type != "decision" or named.data.get("decision") != "gp_petition":
        raise InvalidInput.one("details.origin_analysis.step", Message("шаг %(step)s анализа %(number)s — не решение о "
                                                                       "ходатайстве Генеральному Прокурору (п. 19 "
                                                                       "Правил)", step=origin.step + 1,
                                                                       number=row.number))
    if step.get("subject_kind") != "business":
        raise InvalidInput.one("step.subject_kind", "по ходатайству Генеральному Прокурору назначается проверка "
                                                    "субъекта предпринимательства (п. 23 Правил)")
    day = _step_day(step)
    if day is not None and day < named.date:
        raise InvalidInput.one("step.date", Message("проверка по ходатайству не начинается раньше решения о "
                                                    "нём (%(date)s)", date=named.date.strftime('%d.%m.%Y')))
    taken = session.execute(select(check_origins.c.check_id).where(check_origins.c.analysis_id == row.id,
                                                                   check_origins.c.decision_step == origin.step)
                            ).first()
    if taken is not None:
        raise Refused("petition_linked", ["R.23"], Message("По этому ходатайству анализа %(number)s проверка "
                                                           "уже начата", number=row.number))
    return {"analysis_id": row.id, "step": origin.step}


def link_check(session: Session, check_id: int, origin: dict[str, Any] | None, *, actor: Actor) -> None:
    """After the check is stored: its link to the analysis's petition, audited."""
    if origin is None:
        return
    session.execute(insert(check_origins).values(check_id=check_id, analysis_id=origin["analysis_id"],
                                                 decision_step=origin["step"]))
    audit.record(session, actor=actor, action=AuditAction.CHECK_ORIGIN_LINKED, object_type="check",
                 object_id=check_id, after=origin)


def before_withdraw(session: Session, kind: str, row: Row[Any], live: Sequence[Row[Any]]) -> None:
    """A petition whose check has been opened is not withdrawn: the check stands on it (R.23)."""
    if kind != "analysis" or not live:
        return
    last = live[-1]
    if last.type != "decision" or last.data.get("decision") != "gp_petition":
        return
    index = len(live) - 1
    linked = session.execute(select(proceedings_table.c.number).join(
        check_origins, check_origins.c.check_id == proceedings_table.c.id).where(
        check_origins.c.analysis_id == row.id, check_origins.c.decision_step == index)).first()
    if linked is not None:
        raise Refused("petition_linked", ["R.23"], Message("По этому ходатайству начата проверка %(number)s: "
                                                           "ходатайство не отзывается", number=linked.number))


def petition_prefill(session: Session, analysis_id: int, step: int, *, actor: Actor) -> dict[str, Any]:
    """What the new-check form is filled with when a check is opened from an analysis's petition: the
    analysis's office, the business (name, BIN/IIN), the date of the petition, a business subject and
    the protection of rights as its basis (the business path, I.10)."""
    actor.require(Permission.SIGNED_IN)
    row = _analysis_row(session, analysis_id, actor)
    live = _live(session, row.id)
    named = live[step] if 0 <= step < len(live) else None
    if named is None or named.type != "decision" or named.data.get("decision") != "gp_petition":
        raise NotFound(Message("решение о ходатайстве (шаг %(step)s) анализа %(number)s", step=step + 1,
                               number=row.number))
    details = named.details or {}
    return {"analysis_id": row.id, "analysis_number": row.number, "step": step, "office_id": row.office_id,
            "subject_name": details.get("subject_name", ""), "bin_iin": details.get("subject_bin_iin", ""),
            "date": named.date.isoformat(), "subject_kind": "business", "basis": "protect_rights"}


# ================================================================================ the cards


def card(session: Session, actor: Actor, row: Row[Any], steps: Sequence[Row[Any]]) -> dict[str, Any]:
    """What an analysis's card shows besides its steps: the sources (R.12), the certificate (R.18), the
    petitions with the checks they opened (R.23), the requirements; for a check — the analysis whose
    petition opened it."""
    if row.kind == "check":
        link = session.execute(select(check_origins).where(check_origins.c.check_id == row.id)).first()
        if link is None:
            return {"origin_analysis": None}
        origin = session.execute(select(proceedings_table).where(proceedings_table.c.id == link.analysis_id)).first()
        out: dict[str, Any] = {"id": link.analysis_id, "step": link.decision_step}
        if origin is not None and actor.sees_office(origin.office_id):
            out |= {"number": origin.number, "subject": origin.subject}
        return {"origin_analysis": out}
    if row.kind != "analysis":
        return {}
    live = [s for s in steps if not s.withdrawn]
    certificate = None
    for s in live:
        if s.type == "ended":
            certificate = {"date": s.date.isoformat(), **{k: (s.details or {}).get(k) for k in CERTIFICATE_PARTS}}
    linked = {r.decision_step: r for r in session.execute(
        select(check_origins.c.decision_step, proceedings_table.c.id, proceedings_table.c.number,
               proceedings_table.c.status, proceedings_table.c.office_id)
        .join(proceedings_table, proceedings_table.c.id == check_origins.c.check_id)
        .where(check_origins.c.analysis_id == row.id)).all()}
    petitions = []
    for index, s in enumerate(live):
        if s.type == "decision" and s.data.get("decision") == "gp_petition":
            check = linked.get(index)
            petitions.append({"step": index, "date": s.date.isoformat(), **(s.details or {}),
                              "check": None if check is None else {
                                  "id": check.id, "number": check.number, "status": check.status,
                                  "visible": actor.sees_office(check.office_id)}})
    return {"sources": sources_of(session, row.id), "certificate": certificate, "petitions": petitions}


# ============================================================= the register of requirements


#: The register's sort keys: a column, `-` first for descending.
REQUIREMENT_SORTS = ("date", "-date", "number", "-number", "office", "-office")
TARGET_LABELS = {"state_body": "государственный орган", "business": "субъект предпринимательства"}
REQUIREMENT_HEADERS = ("Анализ", "Прокуратура", "Дата направления", "Проверка кого", "Уполномоченный орган",
                       "Проверяемый субъект", "Подписал", "Уведомлены", "Банк данных (п. 67 Инструкции)")


def _requirement_select() -> Any:
    s, p = proceeding_steps, proceedings_table
    return (select(s.c.id.label("step_id"), s.c.seq, s.c.date, s.c.data, s.c.details, p.c.id.label("analysis_id"),
                   p.c.number, p.c.office_id, p.c.subject, p.c.status, offices.c.name_ru.label("office_name"))
            .select_from(s.join(p, p.c.id == s.c.proceeding_id).join(offices, offices.c.id == p.c.office_id)))


def _requirement_where(session: Session, actor: Actor, office_id: int | None, target: str | None,
                       date_from: date | None, date_to: date | None, q: str, databank: str | None) -> list[Any]:
    s, p = proceeding_steps, proceedings_table
    where: list[Any] = [p.c.kind == "analysis", s.c.type == "decision", s.c.withdrawn.is_(False),
                        s.c.data["decision"].as_string() == "requirement"]
    if actor.visible is not None:
        where.append(p.c.office_id.in_(sorted(actor.visible) or [-1]))
    if office_id is not None:
        where.append(p.c.office_id == office_id)
    if target:
        if target not in TARGET_LABELS:
            raise InvalidInput.one("target", Message("недопустимое значение; допустимые: %(codes)s",
                                                            codes=", ".join(TARGET_LABELS)))
        where.append(s.c.data["target"].as_string() == target)
    if date_from is not None and date_to is not None and date_to < date_from:
        raise InvalidInput.one("date_to", "дата окончания периода раньше его начала")
    if date_from is not None:
        where.append(s.c.date >= date_from)
    if date_to is not None:
        where.append(s.c.date <= date_to)
    if q.strip():
        needle = q.strip().casefold()
        where.append(func.lower(p.c.number).contains(needle.lower(), autoescape=True))
    if databank:
        if databank not in ("open", "entered"):
            raise InvalidInput.one("databank", "недопустимое значение; допустимые: open, entered")
        where.append(s.c.data["target"].as_string() == "business")
        d = proceeding_deadlines
        open_entry = (select(d.c.id).where(d.c.proceeding_id == p.c.id, d.c.code == "databank_entry")).exists()
        where.append(open_entry if databank == "open" else ~open_entry)
    return where


def _requirement_order(sort: str) -> list[Any]:
    if sort not in REQUIREMENT_SORTS:
        raise InvalidInput.one("sort", Message("недопустимое значение; допустимые: %(codes)s",
                                                          codes=", ".join(REQUIREMENT_SORTS)))
    column = {"date": proceeding_steps.c.date, "number": proceedings_table.c.number,
              "office": offices.c.name_ru}[sort.lstrip("-")]
    if sort.startswith("-"):
        return [column.desc(), proceeding_steps.c.id.desc()]
    return [column.asc(), proceeding_steps.c.id.asc()]


def _requirement_rows(session: Session, rows: Sequence[Row[Any]], today: date) -> list[dict[str, Any]]:
    ids = sorted({r.analysis_id for r in rows})
    live: dict[int, list[Any]] = {}
    for s in session.execute(select(proceeding_steps.c.proceeding_id, proceeding_steps.c.seq, proceeding_steps.c.type,
                                    proceeding_steps.c.data, proceeding_steps.c.date)
                             .where(proceeding_steps.c.proceeding_id.in_(ids or [-1]),
                                    proceeding_steps.c.withdrawn.is_(False))
                             .order_by(proceeding_steps.c.proceeding_id, proceeding_steps.c.seq)).all():
        live.setdefault(s.proceeding_id, []).append(s)
    dues = {(d.proceeding_id, d.step): d.due for d in session.execute(
        select(proceeding_deadlines).where(proceeding_deadlines.c.proceeding_id.in_(ids or [-1]),
                                           proceeding_deadlines.c.code == "databank_entry")).all()}
    out = []
    for r in rows:
        steps = live.get(r.analysis_id, [])
        index = next((i for i, s in enumerate(steps) if s.seq == r.seq), -1)
        data, details = r.data, r.details or {}
        _ok, notify = requirement_authority(data.get("target", ""),
                                            (data.get("signer") or {}).get("acting_for")
                                            or (data.get("signer") or {}).get("position", ""),
                                            bool(data.get("concrete_harm_fact")))
        databank: dict[str, Any] | None = None
        if data.get("target") == "business":
            entered_on = next((s.date for s in steps if s.type == "databank_entered" and s.data.get("step") == index),
                              None)
            due = dues.get((r.analysis_id, index))
            databank = {"entered_on": entered_on.isoformat() if entered_on else None,
                        "due": due.isoformat() if due else None, "overdue": due is not None and due < today}
        out.append({"analysis_id": r.analysis_id, "number": r.number, "office_id": r.office_id,
                    "office": r.office_name, "analysis_subject": r.subject, "step": index, "date": r.date.isoformat(),
                    "target": data.get("target"), "target_label": TARGET_LABELS.get(data.get("target", ""), ""),
                    "signer": data.get("signer"), "concrete_harm_fact": data.get("concrete_harm_fact"),
                    "authority_name": details.get("authority_name", ""),
                    "subject_name": details.get("subject_name", ""),
                    "justification": details.get("justification", ""), "notify": notify,
                    "notify_labels": [NOTIFY_LABELS.get(n, n) for n in notify], "databank": databank})
    return out


def access_requirements(session: Session, *, actor: Actor, today: date, office_id: int | None = None,
                        target: str | None = None, date_from: date | None = None, date_to: date | None = None,
                        q: str = "", databank: str | None = None, sort: str = "-date", limit: int | None = 50,
                        offset: int = 0) -> dict[str, Any]:
    """The register of requirements to check a state body or a business (R.19 p. 2, R.21–22): the
    `requirement` decisions of the analyses in the actor's scope, with the body they are sent to, the
    subject, the signer, the notifications and the data-bank entry (I.67); filters, sort, one page (every
    row when `limit` is None)."""
    actor.require(Permission.SIGNED_IN)
    where = _requirement_where(session, actor, office_id, target, date_from, date_to, q, databank)
    total = session.execute(select(func.count()).select_from(
        proceeding_steps.join(proceedings_table, proceedings_table.c.id == proceeding_steps.c.proceeding_id))
        .where(*where)).scalar_one()
    query = _requirement_select().where(*where).order_by(*_requirement_order(sort))
    if limit is not None:
        query = query.limit(limit).offset(max(offset, 0))
    return {"total": total, "items": _requirement_rows(session, session.execute(query).all(), today)}


def requirements_table(items: Sequence[dict[str, Any]]) -> list[tuple[str, ...]]:
    """The register as rows of text for CSV/XLSX (dates dd.mm.yyyy)."""
    def ru(day: str | None) -> str:
        return date.fromisoformat(day).strftime("%d.%m.%Y") if day else ""

    rows: list[tuple[str, ...]] = [REQUIREMENT_HEADERS]
    for r in items:
        bank = r["databank"]
        state = "" if bank is None else (f"внесено {ru(bank['entered_on'])}" if bank["entered_on"] else
                                         f"не внесено, срок {ru(bank['due'])}" + (" (просрочено)" if bank["overdue"]
                                                                                 else ""))
        signer = r["signer"] or {}
        who = POSITION_LABELS.get(signer.get("position", ""), signer.get("position", ""))
        if signer.get("acting_for"):
            who += f" (за: {POSITION_LABELS.get(signer['acting_for'], signer['acting_for'])})"
        rows.append((r["number"], r["office"], ru(r["date"]), r["target_label"], r["authority_name"],
                     r["subject_name"], who, ", ".join(r["notify_labels"]), state))
    return rows
