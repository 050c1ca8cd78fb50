"""Documents of a stored proceeding (issue 8 §4, issue 9, issue 10): which ones each kind offers,
what each needs, and the file (DOCX from a clerk-editable template, PDF from that DOCX).

A document is drawn up on one step of the proceeding (`step` = its index in the replayed list, as in
the API's timeline): the resolution on the check on `resolution_signed`, the protest on `issued`, …
Its data come from the stored steps only: the step's contract object (dates, signer, codes), its
`details` and the opening step's `details` (the subject, the act under evaluation, the topic), the
office (its name as on the document's date, its city) and the signer — the person's full name and
the position title in Russian, «Исполняющий обязанности …» when the stored signer has `acting_for`.
The signing person is the one of the office (or of an office above it) holding that position, or
acting for it, on the step's date; `details.signer_person_id` names them where that is ambiguous or
where the step records no signer (letters).

Generation refuses with 422 and every missing field named (`details.subject_name`,
`details.signer_person_id`, …) when the data are incomplete; the list of documents says, for each,
what is missing, so the user can fill it in before asking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from nadzor import proceedings as kernel_api
from nadzor.casework.service import KIND_LABELS, kind_of
from nadzor.casework.tables import proceeding_steps
from nadzor.casework.tables import proceedings as proceedings_table
from nadzor.checks.tables import check_resolutions
from nadzor.domain.calendar import WorkingCalendar
from nadzor.domain.org import POSITION_LABELS, Office, Person
from nadzor.infra import documents as files
from nadzor.infra.context import Actor, Permission
from nadzor.infra.errors import FieldError, InvalidInput, Message, NotFound
from nadzor.org.service import authority_of
from nadzor.org.tables import acting_assignments, people
from nadzor.rules.analysis.evaluation import provision_due
from nadzor.rules.base import Listing

DocumentsUnavailable = files.DocumentsUnavailable  # HTTP 503
FORMATS = {"docx": files.DOCX_TYPE, "pdf": files.PDF_TYPE}
INSTRUCTION = ("Инструкции об организации надзора за законностью деятельности государственных органов, "
               "организаций и должностных лиц")
RULES_TITLE = ("проведения органами прокуратуры анализа состояния законности и оценки актов и решений "
               "(приказ Генерального Прокурора Республики Казахстан № 60 в ред. приказа № 102)")
STATISTICS_BODY = ("Территориальный орган Комитета по правовой статистике и специальным учетам "
                   "Генеральной прокуратуры Республики Казахстан")

BASES = {
    "president_instruction": "поручение Президента Республики Казахстан",
    "gp_instruction": "поручение Генерального Прокурора Республики Казахстан",
    "protect_rights": "защита прав, свобод и законных интересов граждан и организаций, общества и государства",
    "admin_offence_proceedings": "обеспечение законности производства по делам об административных "
                                 "правонарушениях",
    "admin_arrest": "соблюдение прав граждан при исполнении административного ареста",
}
GROUNDS = {
    "expertise": ("назначение экспертизы", "до получения заключения эксперта"),
    "foreign_request": ("необходимость получения сведений и документов от иностранных государств",
                        "до их получения"),
    "illness": ("болезнь лица, участвующего в проверке", "до устранения препятствия"),
    "force_majeure": ("форс-мажорные обстоятельства", "до их устранения"),
    "wanted_persons": ("розыск лиц, причастных к предмету проверки", "до устранения препятствия"),
    "procedural_actions": ("совершение процессуальных действий", "до устранения препятствия"),
    "requests_sent": ("направление требований о проведении проверки или даче заключения",
                      "до устранения препятствия"),
}
ORDER_TITLES = {
    "suspended": ("о приостановлении производства проверки", "Производство проверки приостановлено с {date}."),
    "resumed": ("о возобновлении производства проверки", "Производство проверки возобновлено с {date}."),
    "extended": ("о продлении срока проверки", "Срок проверки продлен на {days} календарных дней."),
    "composition_changed": ("об изменении состава лиц, проводящих проверку",
                            "Состав лиц, проводящих проверку, изменен с {date}."),
}
ACT_TYPES = {"protest": "протест", "representation": "представление", "prescription": "предписание",
             "resolution": "постановление", "other": "акт прокурорского надзора"}
VIOLATIONS = {
    "competence": "отсутствие компетенции и полномочий на принятие акта",
    "conformity": "несоответствие установленным законами требованиям",
    "contradiction": "противоречие нормативным правовым актам, в том числе вышестоящих уровней",
    "registration": "отсутствие государственной регистрации",
    "publication": "отсутствие опубликования в установленном законом порядке",
}
PROCEDURE_CODES = {"ГПК": "Гражданским процессуальным кодексом Республики Казахстан",
                   "АППК": "Административным процедурно-процессуальным кодексом Республики Казахстан"}
INFO_GROUNDS = {"vulnerable_persons": "защита прав лиц, которые не могут самостоятельно осуществлять их защиту",
                "indefinite_circle": "защита прав неограниченного круга лиц",
                "irreversible_consequences": "предотвращение необратимых последствий для жизни, здоровья людей "
                                             "либо безопасности Республики Казахстан"}
_ADDRESSEES = {"state_body": "государственный орган", "quasi_state": "субъект квазигосударственного сектора",
               "private_business": "субъект частного предпринимательства"}


def _label(label: str) -> str:
    """What a «missing» message names, as a word of the catalog (a label that is already a `Message` as it is;
    an empty one stays empty: the catalog's empty entry is its header)."""
    return label if isinstance(label, Message) or not label else Message(label)


def ru(day: date | str | None) -> str:
    """dd.mm.yyyy."""
    if day is None or day == "":
        return ""
    value = date.fromisoformat(day) if isinstance(day, str) else day
    return value.strftime("%d.%m.%Y")


# ----------------------------------------------------------------------------- the sources


@dataclass
class Source:
    """What a document is drawn up from: the proceeding, its live steps, the chosen step, the office;
    it collects the missing fields while the context is built."""

    session: Session
    calendar: WorkingCalendar
    row: Row[Any]
    steps: list[Row[Any]]  # live (not withdrawn) steps, in replayed order
    index: int
    office: Office
    missing: list[FieldError] = field(default_factory=list)

    @property
    def step(self) -> Row[Any]:
        return self.steps[self.index]

    @property
    def day(self) -> date:
        return self.step.date  # type: ignore[no-any-return]

    def lacks(self, name: str, message: str) -> None:
        if all(e.field != name for e in self.missing):
            self.missing.append(FieldError(name, message))

    def raw(self, name: str, *, step: Row[Any] | None = None, own: bool = False) -> Any:
        """`details[name]` of the step (or the given one), else (unless `own`) of the check's resolution
        before it (what it states: the topic, the period, the assignees — I.13), else of the opening step."""
        chosen = step if step is not None else self.step
        resolution = None if own else self.latest("resolution_signed")
        for source in (chosen,) if own else tuple(r for r in (chosen, resolution, self.steps[0]) if r is not None):
            value = (source.details or {}).get(name)
            if value not in (None, "", [], {}):
                return value
        return None

    def text(self, name: str, label: str, *, required: bool = True, step: Row[Any] | None = None,
             own: bool = False) -> str:
        value = self.raw(name, step=step, own=own)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value if str(v).strip())
        if value is None or not str(value).strip():
            if required:
                self.lacks(f"details.{name}", Message("не указано: %(what)s", what=_label(label)))
            return ""
        return str(value).strip()

    def lines(self, name: str, label: str, *, required: bool = True, step: Row[Any] | None = None,
              own: bool = False) -> list[str]:
        """A text as paragraphs: a string split at line ends, or a list of strings (or of objects,
        shown by their values)."""
        out = _paragraphs(self.raw(name, step=step, own=own))
        if not out and required:
            self.lacks(f"details.{name}", Message("не указано: %(what)s", what=_label(label)))
        return out

    def latest(self, *types: str, before: int | None = None) -> Row[Any] | None:
        end = self.index if before is None else before
        found: Row[Any] | None = next((r for r in reversed(self.steps[:end + 1]) if r.type in types), None)
        return found

    def state_after(self) -> dict[str, Any]:
        """The replay state right after the chosen step (the term as it then was)."""
        return kernel_api.replay(self.row.kind, {"office_level": self.row.office_level,
                                                 "steps": [r.data for r in self.steps[:self.index + 1]]},
                                 calendar=self.calendar)


def _paragraphs(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, dict):
        return [", ".join(str(v) for v in value.values() if v not in (None, ""))] if value else []
    if isinstance(value, list):
        out: list[str] = []
        for item in value:
            out += _paragraphs(item)
        return out
    return [str(value)]


# ------------------------------------------------------------------------------ the signer


def _office_tail(office: Office, day: date) -> str:
    """«Акмолинской области» of «Прокуратура Акмолинской области»."""
    name = office.name_on(day)
    prefix = "Прокуратура "
    return name[len(prefix):] if name.startswith(prefix) else f"({name})"


def position_titles(position: str, office: Office, day: date) -> tuple[str, str]:
    """The position's title in the signature block (nominative) and after «Исполняющий обязанности»
    (genitive), with the office's name as on `day`."""
    gpo = {
        "prosecutor_general": ("Генеральный Прокурор Республики Казахстан",
                               "Генерального Прокурора Республики Казахстан"),
        "deputy_prosecutor_general": ("Заместитель Генерального Прокурора Республики Казахстан",
                                      "заместителя Генерального Прокурора Республики Казахстан"),
        "gpo_unit_head": ("Руководитель самостоятельного структурного подразделения Генеральной прокуратуры",
                          "руководителя самостоятельного структурного подразделения Генеральной прокуратуры"),
        "gpo_unit_deputy_head": ("Заместитель руководителя структурного подразделения Генеральной прокуратуры",
                                 "заместителя руководителя структурного подразделения Генеральной прокуратуры"),
    }
    if position in gpo:
        return gpo[position]
    if office.level == "gpo":
        return "Прокурор Генеральной прокуратуры Республики Казахстан", \
            "прокурора Генеральной прокуратуры Республики Казахстан"
    tail = _office_tail(office, day)
    titles = {
        "regional_prosecutor": (f"Прокурор {tail}", f"прокурора {tail}"),
        "district_prosecutor": (f"Прокурор {tail}", f"прокурора {tail}"),
        "deputy_regional_prosecutor": (f"Заместитель прокурора {tail}", f"заместителя прокурора {tail}"),
        "deputy_district_prosecutor": (f"Заместитель прокурора {tail}", f"заместителя прокурора {tail}"),
        "regional_unit_head": (f"Начальник структурного подразделения прокуратуры {tail}",
                               f"начальника структурного подразделения прокуратуры {tail}"),
    }
    return titles.get(position, (f"Прокурор прокуратуры {tail}", f"прокурора прокуратуры {tail}"))


def signer_title(signer: dict[str, Any], office: Office, day: date) -> str:
    """«Прокурор …», or «Исполняющий обязанности прокурора …» when the signer acts for a position."""
    acting = signer.get("acting_for")
    if acting:
        return "Исполняющий обязанности " + position_titles(acting, office, day)[1]
    return position_titles(signer["position"], office, day)[0]


def _chain(session: Session, office: Office) -> list[Office]:
    out, seen = [office], {office.id}
    while out[-1].parent_id is not None and out[-1].parent_id not in seen:
        parent = session.get(Office, out[-1].parent_id)
        if parent is None:
            break
        out.append(parent)
        seen.add(parent.id)
    return out


def _holders(session: Session, signer: dict[str, Any], office: Office, day: date) -> list[Person]:
    """The people of `office` who signed as `signer` on `day`: its holders of the position, or those
    of that position acting then for `acting_for` there."""
    position, acting = signer.get("position"), signer.get("acting_for")
    if acting:
        ids = session.execute(select(acting_assignments.c.person_id).where(
            acting_assignments.c.office_id == office.id, acting_assignments.c.acting_for == acting,
            acting_assignments.c.date_from <= day, acting_assignments.c.date_to >= day)).scalars().all()
        found = [p for p in (session.get(Person, i) for i in sorted(set(ids))) if p is not None]
        return [p for p in found if p.position == position]
    ids = session.execute(select(people.c.id).where(people.c.office_id == office.id, people.c.position == position)
                          .order_by(people.c.id)).scalars().all()
    return [p for p in (session.get(Person, i) for i in ids) if p is not None]


def signature(src: Source, *, step: Row[Any] | None = None, superior: bool = False) -> dict[str, str]:
    """`{signer_title, signer_name, signer_office}` of the step's signer (see the module's text)."""
    row = step if step is not None else src.step
    day: date = row.date
    stored = row.data.get("signer")
    chosen = (row.details or {}).get("signer_person_id")
    person: Person | None = None
    office: Office | None = None
    if chosen is not None:
        if isinstance(chosen, int) and not isinstance(chosen, bool):
            person = src.session.get(Person, chosen)
        if person is None:
            src.lacks("details.signer_person_id", Message("нет сотрудника %(id)s", id=repr(chosen)))
            return {"signer_title": "", "signer_name": "", "signer_office": "", "signer_city": ""}
        office = src.session.get(Office, person.office_id)
        if stored is None:
            auth = authority_of(src.session, person, day)
            stored = {"position": auth.position}
            if auth.acting:
                stored["acting_for"] = auth.acting[0].position
                office = src.session.get(Office, auth.acting[0].office_id) or office
    elif stored is None:
        whom = Message("вышестоящего прокурора") if superior else Message("подписанта")
        src.lacks("details.signer_person_id", Message("не указан сотрудник, подписывающий документ (%(whom)s)",
                                                      whom=whom))
        return {"signer_title": "", "signer_name": "", "signer_office": "", "signer_city": ""}
    else:
        for candidate in _chain(src.session, src.office):
            holders = _holders(src.session, stored, candidate, day)
            if len(holders) == 1:
                person, office = holders[0], candidate
                break
            if len(holders) > 1:
                src.lacks("details.signer_person_id", "подписанта нельзя определить однозначно: на дату шага "
                          "эту должность занимали несколько сотрудников; укажите сотрудника")
                return {"signer_title": "", "signer_name": "", "signer_office": "", "signer_city": ""}
        if person is None:
            src.lacks("details.signer_person_id", "не найден сотрудник, подписавший шаг; укажите сотрудника")
            return {"signer_title": "", "signer_name": "", "signer_office": "", "signer_city": ""}
    assert office is not None and person is not None
    return {"signer_title": signer_title(stored, office, day), "signer_name": person.full_name,
            "signer_office": office.name_on(day), "signer_city": office.city}


# ------------------------------------------------------------------------- the documents


Build = Callable[[Source], dict[str, Any]]


@dataclass(frozen=True)
class Spec:
    code: str
    kind: str
    title: str
    citations: tuple[str, ...]
    steps: tuple[str, ...]  # the step types it is drawn up on
    build: Build
    act_types: tuple[str, ...] | None = None  # kind `act`: only for these `act_type`s
    needs_details: str | None = None  # only on steps whose details hold this key
    condition: Callable[[Row[Any]], bool] | None = None
    records: tuple[str, ...] = ()  # a check's resolutions (checks/resolutions.py) it is drawn up on

    def fits(self, row: Row[Any], act_type: str | None) -> bool:
        if row.type not in self.steps:
            return False
        if self.act_types is not None and act_type not in self.act_types:
            return False
        if self.needs_details and not (row.details or {}).get(self.needs_details):
            return False
        return self.condition is None or self.condition(row)


def _common(src: Source, *, superior: bool = False, signed: bool = True) -> dict[str, Any]:
    number = (src.step.details or {}).get("number")
    office = src.office
    ctx: dict[str, Any] = {
        "office_name": office.name_on(src.day), "city": office.city,
        "office_address": "Республика Казахстан",
        "date": ru(src.day), "place": f"г. {office.city}",
        "number": str(number).strip() if isinstance(number, str | int) and str(number).strip()
        else f"{src.row.number}/{src.index}",
        "proceeding_number": src.row.number,
    }
    if signed:
        ctx |= signature(src, superior=superior)
    if superior and ctx.get("signer_office"):  # the superior's letter comes from the superior's office
        ctx |= {"office_name": ctx["signer_office"], "city": ctx["signer_city"], "place": f"г. {ctx['signer_city']}"}
    return ctx


def _subject(src: Source) -> dict[str, Any]:
    return {"subject_name": src.text("subject_name", "наименование проверяемого субъекта (ФИО лица)"),
            "subject_location": src.text("subject_location", "местонахождение проверяемого субъекта"),
            "subject_bin": _bin_iin(src)}


def _bin_iin(src: Source) -> str:
    """The subject's BIN/IIN: stored as `subject_bin_iin` (checks/details.py) on the opening or
    the resolution; `subject_bin` as older data named it."""
    resolution = src.latest("resolution_signed")
    for name in ("subject_bin_iin", "subject_bin"):
        value = src.raw(name, step=resolution) if resolution is not None else src.raw(name)
        if value not in (None, ""):
            return str(value).strip()
    src.lacks("details.subject_bin_iin", "не указано: БИН (ИИН) проверяемого субъекта")
    return ""


def _people(src: Source, name: str, label: str, *, step: Row[Any] | None = None, own: bool = False) -> list[str]:
    """Assignees as lines: a person of the staff by name (and position), a specialist with their
    organization; plain text as older data held it."""
    raw = src.raw(name, step=step, own=own)
    if not isinstance(raw, list) or not any(isinstance(a, dict) for a in raw):
        return src.lines(name, label, step=step, own=own)
    out = []
    for a in raw:
        if isinstance(a, dict) and a.get("person_id") is not None:
            title = POSITION_LABELS.get(str(a.get("position", "")), "")
            out.append(f"{a.get('name', '')}, {title}" if title else str(a.get("name", "")))
        elif isinstance(a, dict):
            out.append(f"{a.get('name', '')} ({a.get('organization', '')}), специалист")
        else:
            out.append(str(a))
    return out


def _checked_period(src: Source) -> str:
    """«с 01.01.2020 по 31.12.2020» from the resolution's `period_from`/`period_to`, else its text."""
    start, end = src.raw("period_from"), src.raw("period_to")
    if isinstance(start, str) and isinstance(end, str):
        try:
            return f"с {ru(start)} по {ru(end)}"
        except ValueError:
            pass
    return src.text("checked_period", "проверяемый период")


def _registration(src: Source) -> str:
    row = src.latest("registered", before=len(src.steps) - 1)
    return f"№ {row.data['number']} от {ru(row.date)}" if row is not None else ""


def _basis(src: Source) -> str:
    return src.text("basis_text", "", required=False) or BASES.get(src.steps[0].data.get("basis", ""), "")


def _check_ref(src: Source) -> dict[str, Any]:
    return {"registration": _registration(src),
            "subject_name": src.text("subject_name", "наименование проверяемого субъекта (ФИО лица)")}


def gp_petition(src: Source) -> dict[str, Any]:
    return _common(src) | _subject(src) | {
        "basis": _basis(src),
        "justification": src.lines("justification", "мотивированное обоснование необходимости проверки"),
        "violation_signs": src.lines("violation_signs", "признаки нарушений законности"),
        "measures_taken": src.lines("measures_taken", "меры, принятые уполномоченными государственными органами"),
    }


def check_resolution(src: Source) -> dict[str, Any]:
    step = src.step.data
    return _common(src) | _subject(src) | {
        "basis": _basis(src), "registration": _registration(src),
        "topic": src.text("topic", "предмет (тематика) проверки"),
        "checked_period": _checked_period(src),
        "assignees": _people(src, "assignees", "кому поручена проверка"),
        "specialists": src.lines("specialists", "", required=False),
        "start_date": ru(step["start_date"]), "end_date": ru(step["end_date"]),
    }


def _order(src: Source) -> dict[str, Any]:
    return _common(src) | _check_ref(src) | {"reasons": src.lines("reasons", "мотивы постановления (п. 18)", own=True)}


def suspension_resolution(src: Source) -> dict[str, Any]:
    ground, until = GROUNDS.get(src.step.data.get("ground", ""), (src.step.data.get("ground", ""), ""))
    return _order(src) | {"ground": ground, "until": until}


def resumption_resolution(src: Source) -> dict[str, Any]:
    suspended = src.latest("suspended")
    return _order(src) | {"suspended_on": ru(suspended.date) if suspended is not None else "",
                          "last_day": ru(src.state_after().get("last_day"))}


def extension_resolution(src: Source) -> dict[str, Any]:
    return _order(src) | {"days": src.step.data["days"], "last_day": ru(src.state_after().get("last_day"))}


def composition_resolution(src: Source) -> dict[str, Any]:
    return _order(src) | {"assignees": _people(src, "assignees", "новый состав лиц, проводящих проверку",
                                               step=src.step, own=True)}


def order_notice(src: Source) -> dict[str, Any]:
    title, summary = ORDER_TITLES[src.step.type]
    ctx = _common(src) | _check_ref(src)
    body = (src.step.details or {}).get("statistics_body")
    return ctx | {"statistics_body": body if isinstance(body, str) and body.strip() else STATISTICS_BODY,
                  "order_date": ru(src.day), "order_title": title,
                  "order_summary": summary.format(date=ru(src.day), days=src.step.data.get("days", ""))}


def extension_petition(src: Source) -> dict[str, Any]:
    state = src.state_after()
    before = kernel_api.replay(src.row.kind, {"office_level": src.row.office_level,
                                              "steps": [r.data for r in src.steps[:src.index]]},
                               calendar=src.calendar)
    if src.step.data.get("addressee") == "prosecutor_general":
        addressee = "Генеральному Прокурору Республики Казахстан"
    else:
        region = next((o for o in _chain(src.session, src.office) if o.level == "regional"), src.office)
        addressee = "Прокурору " + _office_tail(region, src.day)
    days = src.raw("days", step=src.step, own=True)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 30:
        src.lacks("details.days", "не указано, на сколько календарных дней (1–30) просят продлить проверку")
    return _common(src) | _check_ref(src) | {
        "addressee": addressee, "topic": src.text("topic", "предмет (тематика) проверки"),
        "start": ru(state.get("start")), "last_day": ru(before.get("last_day")), "days": days,
        "justification": src.lines("justification", "обоснование продления (п. 16)", step=src.step, own=True),
    }


def expertise_resolution(src: Source) -> dict[str, Any]:
    raw = (src.step.details or {}).get("expertise")
    expertise = raw if isinstance(raw, dict) else {}

    def need(name: str, label: str) -> Any:
        value = expertise.get(name)
        if value in (None, "", []):
            src.lacks(f"details.expertise.{name}", Message("не указано: %(what)s (п. 20)", what=Message(label)))
        return value

    permitted = expertise.get("destruction_allowed")
    permission = ("Разрешается полное или частичное уничтожение объектов, изменение их внешнего вида или "
                  "основных свойств в ходе исследования." if permitted else
                  "Уничтожение объектов, изменение их внешнего вида или основных свойств в ходе исследования "
                  "не разрешается.")
    kind = need("kind", "вид экспертизы")
    grounds = need("grounds", "основания назначения экспертизы")
    objects = need("objects", "объекты, направляемые на экспертизу, и сведения об их происхождении")
    expert = need("expert", "орган судебной экспертизы или лицо, которому поручена экспертиза")
    return _common(src) | _check_ref(src) | {
        "expertise_kind": str(kind or ""), "grounds": _paragraphs(grounds), "objects": _paragraphs(objects),
        "expert": "; ".join(_paragraphs(expert)), "permission": permission,
        "place": str(expertise.get("place") or f"г. {src.office.city}"),
        "questions": _paragraphs(expertise.get("questions")),
    }


def orm_resolution(src: Source) -> dict[str, Any]:
    """I.19: the grounds of the operative-search measures, the form and the term of presenting the
    results (from the check's resolution record)."""
    raw = (src.step.details or {}).get("orm")
    orm = raw if isinstance(raw, dict) else {}
    for name, label in (("grounds", "основания проведения оперативно-розыскных мероприятий"),
                        ("results_form", "форма предоставления полученных результатов"),
                        ("results_due", "срок предоставления полученных результатов")):
        if orm.get(name) in (None, ""):
            src.lacks(f"fields.{name}", Message("не указано: %(what)s (п. 19)", what=Message(label)))
    return _common(src) | _check_ref(src) | {
        "grounds": _paragraphs(orm.get("grounds")), "measures": _paragraphs(orm.get("measures")),
        "results_form": str(orm.get("results_form") or ""), "results_due": ru(orm.get("results_due")),
        "executor": str(orm.get("executor") or ""),
    }


def certificate(src: Source) -> dict[str, Any]:
    raw = (src.step.details or {}).get("certificate")
    cert = raw if isinstance(raw, dict) else {}
    labels = {"date": "дата составления", "place": "место составления", "grounds": "основания проверки",
              "subject_name": "наименование проверяемого субъекта", "topic": "предмет (тематика) проверки",
              "general_info": "общие сведения по тематике", "legality_assessment": "оценка соблюдения законности",
              "causes_analysis": "анализ причин нарушений", "remedy_mechanism": "механизм устранения нарушений",
              "conclusions": "выводы и предложения", "signatures": "подписи проводивших проверку"}
    out: dict[str, Any] = {}
    for name, label in labels.items():
        value = _paragraphs(cert.get(name))
        if not value:
            src.lacks(f"details.certificate.{name}", Message("не указано: %(what)s (п. 23)", what=Message(label)))
        out[name] = value
    when = cert.get("date")
    try:
        certificate_date = ru(when) if isinstance(when, str) else ""
    except ValueError:
        src.lacks("details.certificate.date", "ожидается дата ГГГГ-ММ-ДД")
        certificate_date = ""
    ctx = _common(src, signed=False)  # the certificate is signed by those who conducted the check
    return ctx | {"certificate_date": certificate_date, "certificate_place": "; ".join(out["place"]),
                  "grounds": "; ".join(out["grounds"]), "subject_name": "; ".join(out["subject_name"]),
                  "topic": "; ".join(out["topic"]), "signatures": out["signatures"],
                  **{k: out[k] for k in ("general_info", "legality_assessment", "causes_analysis",
                                         "remedy_mechanism", "conclusions")}}


def _drafted(src: Source) -> Row[Any]:
    return src.steps[0]


_CONTENT = {"legal_essence": "правовая сущность нарушений", "norms": "нормы законодательства, которые нарушены",
            "consequences": "негативные последствия нарушений", "causes": "причины и условия нарушений",
            "demand_elimination": "требование об устранении нарушений", "liability": "ответственность виновных лиц",
            "restoration": "восстановление нарушенных прав", "compensation": "возмещение причиненного ущерба"}


def act_document(src: Source) -> dict[str, Any]:
    drafted = _drafted(src)
    content = set(drafted.data.get("content") or [])
    ctx = _common(src) | {"addressee_name": src.text("addressee_name", "адресат акта (орган, должностное лицо)"),
                          "persons": src.lines("persons", "", required=False),
                          "response_due": ru(src.step.data.get("response_due"))}
    for name, label in _CONTENT.items():
        ctx[name] = src.lines(name, label, step=drafted, required=name in content)
    if drafted.data.get("act_type") == "protest":
        ctx["protested_act"] = src.text("protested_act", "опротестованный акт (наименование, дата, номер)")
    return ctx


def _act_line(src: Source) -> dict[str, Any]:
    drafted = _drafted(src)
    return {"act_type": ACT_TYPES.get(drafted.data.get("act_type", ""), "акт"),
            "addressee_name": src.text("addressee_name", "адресат акта (орган, должностное лицо)")}


def superior_suspension_letter(src: Source) -> dict[str, Any]:
    issued = src.latest("issued")
    ctx = _common(src, superior=True) | _act_line(src)
    tail = _office_tail(src.office, src.day)
    return ctx | {"issuing_office": src.office.name_on(src.day),
                  "issuing_office_genitive": f"прокурора {tail}" if src.office.level != "gpo" else "",
                  "issued_on": ru(issued.date) if issued is not None else "",
                  "reasons": src.lines("reasons", "", required=False, step=src.step, own=True)}


def gpo_covering_letter(src: Source) -> dict[str, Any]:
    essence = src.lines("legal_essence", "правовая сущность нарушений", step=_drafted(src))
    return _common(src) | _act_line(src) | {"legal_essence_line": " ".join(essence),
                                           "attachments": src.text("attachments", "", required=False)}


def _act_description(src: Source) -> str:
    body = src.text("adopting_body", "орган (организация), принявший акт")
    title = src.text("act_title", "наименование акта")
    number, when = src.text("act_number", "", required=False), src.raw("act_date")
    out = f"{title}{f' № {number}' if number else ''}"
    if isinstance(when, str):
        try:
            out += f" от {ru(when)}"
        except ValueError:
            src.lacks("details.act_date", "ожидается дата ГГГГ-ММ-ДД")
    return f"{out} ({body})"


def act_request(src: Source) -> dict[str, Any]:
    due, immediate = provision_due(src.calendar, src.day, src.steps[0].data.get("context", ""))
    return _common(src) | {"adopting_body": src.text("adopting_body", "орган (организация), принявший акт"),
                           "act_description": _act_description(src), "rules_title": RULES_TITLE,
                           "materials": True,
                           "due_text": "незамедлительно" if immediate else f"не позднее {ru(due)} "
                                                                             "(пятнадцать календарных дней)"}


def act_suspension_resolution(src: Source) -> dict[str, Any]:
    return _common(src) | {"act_description": _act_description(src), "rules_title": RULES_TITLE,
                           "reasons": src.lines("reasons", "необратимые последствия исполнения акта",
                                                step=src.step, own=True),
                           "normative": src.steps[0].data.get("act_kind") == "normative"}


def _violations(src: Source) -> str:
    studied = src.latest("studied")
    found = studied.data.get("violations", []) if studied is not None else []
    return "; ".join(VIOLATIONS.get(v, v) for v in found)


def study_conclusion(src: Source) -> dict[str, Any]:
    """R.26: the study of the act, item by item, with its finding and note (`details.checklist` of the
    `studied` step), and the conclusion drawn from it."""
    from nadzor.evaluations.service import FINDINGS, ITEM_LABELS

    checklist = (src.step.details or {}).get("checklist")
    lines = []
    if not isinstance(checklist, list) or not checklist:
        src.lacks("details.checklist", "не заполнено изучение акта по п. 26 Правил")
    else:
        for entry in checklist:
            note = entry.get("note") or ""
            lines.append(f"{ITEM_LABELS.get(entry.get('item'), entry.get('item'))}: "
                         f"{FINDINGS.get(entry.get('finding'), entry.get('finding'))}" + (f" — {note}" if note else ""))
    found = _violations(src)
    conclusion = (f"Выявлены нарушения: {found}. Подлежит рассмотрению вопрос о внесении протеста "
                  "(пункты 27–29 Правил)." if found else "Нарушений законности не выявлено: акт признается "
                  "законным.")
    return _common(src) | {"act_description": _act_description(src), "rules_title": RULES_TITLE,
                           "checklist_lines": lines, "conclusion": conclusion}


def transfer_letter(src: Source) -> dict[str, Any]:
    return _common(src) | {"act_description": _act_description(src), "rules_title": RULES_TITLE,
                           "transfer_to": src.text("transfer_to", "прокуратура, в компетенцию которой входит "
                                                                  "опротестование", step=src.step, own=True),
                           "violations": _violations(src), "reasons": src.lines("reasons", "", required=False,
                                                                                 step=src.step, own=True),
                           "attachments": src.text("attachments", "", required=False)}


def court_application(src: Source) -> dict[str, Any]:
    code = src.text("procedure_code", "процессуальный кодекс (ГПК или АППК)", step=src.step, own=True)
    if code and code not in PROCEDURE_CODES:
        src.lacks("details.procedure_code", "допустимые значения: ГПК, АППК")
    protest = src.latest("protest_issued")
    decided = src.latest("protest_decided")
    return _common(src) | {"act_description": _act_description(src), "rules_title": RULES_TITLE,
                           "adopting_body": src.text("adopting_body", "орган (организация), принявший акт"),
                           "court": src.text("court", "суд", step=src.step, own=True),
                           "procedure_code": PROCEDURE_CODES.get(code, code), "violations": _violations(src),
                           "protest_date": ru(protest.date) if protest is not None else "",
                           "decided_on": ru(decided.date) if decided is not None else "",
                           "reasons": src.lines("reasons", "", required=False, step=src.step, own=True),
                           "demands": src.lines("demands", "требования заявления", step=src.step, own=True)}


def info_request(src: Source) -> dict[str, Any]:
    data = src.step.data
    grounds = [INFO_GROUNDS.get(g, g) for g in data.get("protected_interest") or []]
    if data.get("legal_basis"):
        grounds.append("основание, предусмотренное законом")
    if data.get("state_interest"):
        grounds.append("защита интересов государства")
    if data.get("urgent"):
        due = "незамедлительно"
    elif data.get("addressee") == "private_business":
        due = "в срок, установленный законом, на котором основан запрос"
    else:
        due = "в течение пятнадцати календарных дней со дня получения запроса"
    return _common(src) | {
        "addressee_name": src.text("addressee_name", Message("адресат запроса (%(addressee)s)", addressee=_label(
                                       _ADDRESSEES.get(data['addressee'], ''))),
                                   step=src.step, own=True),
        "topic": src.text("topic", "тема анализа", required=False), "rules_title": RULES_TITLE,
        "information": src.lines("information", "запрашиваемые сведения, документы и материалы", own=True),
        "grounds": "; ".join(grounds), "due_text": due,
    }


def analysis_certificate(src: Source) -> dict[str, Any]:
    """R.18: the certificate of the analysis's results — its date, subject and period (part 1), the facts
    with statistics (2), the conclusions with the causes and conditions (3), the proposals (4) — and the
    sources of information used (R.12)."""
    from nadzor.analyses.details import sources_of

    period_from, period_to = src.raw("period_from", own=True), src.raw("period_to", own=True)
    for name, value in (("period_from", period_from), ("period_to", period_to)):
        if not isinstance(value, str):
            src.lacks(f"details.{name}", "не указан период, охваченный анализом (п. 18 Правил)")
    sources = sources_of(src.session, src.row.id)
    used = [f"{i['label']}{' — ' + i['note'] if i['note'] else ''}" for i in sources["used"]]
    if not used:
        src.lacks("sources", "не отмечены источники сведений, использованные при анализе (п. 12 Правил)")
    return _common(src, signed=False) | {
        "topic": src.text("topic", "предмет анализа (п. 18 Правил)", own=True),
        "period": f"{ru(period_from)} — {ru(period_to)}" if isinstance(period_from, str)
        and isinstance(period_to, str) else "",
        "findings": src.lines("findings", "установленные сведения (п. 18 Правил)", own=True),
        "statistics": src.lines("statistics", "статистика (п. 18 Правил)", own=True),
        "conclusions": src.lines("conclusions", "выводы о состоянии законности (п. 18 Правил)", own=True),
        "causes": src.lines("causes", "причины и условия правонарушений (п. 18 Правил)", own=True),
        "proposals": src.lines("proposals", "предложения (п. 18 Правил)", own=True),
        "sources": used, "rules_title": RULES_TITLE,
    }


def analysis_petition(src: Source) -> dict[str, Any]:
    """R.23: the petition to the Prosecutor General for a check of a business — the motivated
    justification, the signs of violations and the measures taken by the authorized bodies."""
    number = src.text("subject_bin_iin", "", required=False, own=True)
    return _common(src) | {
        "subject_name": src.text("subject_name", "субъект предпринимательства (п. 23 Правил)", own=True)
        + (f", БИН/ИИН {number}" if number else ""),
        "analysis_topic": src.text("topic", "", required=False),
        "justification": src.lines("justification", "мотивированное обоснование (п. 23 Правил)", own=True),
        "violations": src.lines("violations", "признаки нарушений законности (п. 23 Правил)", own=True),
        "measures": src.lines("measures", "принятые уполномоченными органами меры (п. 23 Правил)", own=True),
        "rules_title": RULES_TITLE,
    }


def analysis_requirement(src: Source) -> dict[str, Any]:
    """R.21–22: the requirement to an authorized body to check a state body or a business."""
    data = src.step.data
    business = data.get("target") == "business"
    return _common(src) | {
        "authority_name": src.text("authority_name", "уполномоченный орган (пп. 21, 22 Правил)", own=True),
        "subject_name": src.text("subject_name", "проверяемый субъект (пп. 21, 22 Правил)", own=True),
        "target_text": "субъекта предпринимательства" if business else "государственного органа",
        "harm_text": "по конкретному факту причинения либо угрозы причинения вреда" if business else "",
        "justification": src.lines("justification", "", required=False, own=True),
        "analysis_topic": src.text("topic", "", required=False), "rules_title": RULES_TITLE,
    }


def _decision_is(code: str) -> Callable[[Row[Any]], bool]:
    return lambda row: bool(row.data.get("decision") == code)


#: An act is drawn up on its draft (signed by `details.signer_person_id`: the GPO approves a draft,
#: I.60) and on its issue (signed by the step's signer).
_ACT_STEPS = ("drafted", "issued")
_ORDERS = ("suspended", "resumed", "extended", "composition_changed")


def _suspending(row: Row[Any]) -> bool:
    return row.data.get("decision") == "suspend"  # type: ignore[no-any-return]


SPECS: tuple[Spec, ...] = (
    Spec("gp_petition", "check", "Ходатайство Генеральному Прокурору о назначении проверки", ("I.10",),
         ("gp_petition_sent",), gp_petition),
    Spec("check_resolution", "check", "Постановление о производстве проверки", ("I.13",),
         ("resolution_signed",), check_resolution),
    Spec("suspension_resolution", "check", "Постановление о приостановлении проверки", ("I.17", "I.18"),
         ("suspended",), suspension_resolution),
    Spec("resumption_resolution", "check", "Постановление о возобновлении проверки", ("I.17", "I.18"),
         ("resumed",), resumption_resolution),
    Spec("extension_resolution", "check", "Постановление о продлении срока проверки", ("I.16", "I.18"),
         ("extended",), extension_resolution),
    Spec("composition_resolution", "check", "Постановление об изменении состава проверяющих", ("I.15", "I.18"),
         ("composition_changed",), composition_resolution),
    Spec("order_notice", "check", "Уведомление органа правовой статистики и проверяемого субъекта", ("I.18",),
         _ORDERS, order_notice),
    Spec("extension_petition", "check", "Ходатайство о продлении срока проверки", ("I.16",),
         ("extension_petitioned",), extension_petition),
    Spec("expertise_resolution", "check", "Постановление о назначении экспертизы", ("I.20",),
         tuple(["suspended", "started", "delivered", "resumed", "composition_changed", "extended"]),
         expertise_resolution, needs_details="expertise", records=("expertise",)),
    Spec("orm_resolution", "check", "Постановление о проведении оперативно-розыскных мероприятий", ("I.19",),
         (), orm_resolution, records=("orm",)),
    Spec("certificate", "check", "Справка о результатах проверки", ("I.23",),
         ("ended", "certificate_delivered"), certificate, needs_details="certificate"),
    Spec("protest", "act", "Протест", ("I.58",), _ACT_STEPS, act_document, act_types=("protest",)),
    Spec("representation", "act", "Представление", ("I.58",), _ACT_STEPS, act_document,
         act_types=("representation",)),
    Spec("prescription", "act", "Предписание", ("I.58",), _ACT_STEPS, act_document, act_types=("prescription",)),
    Spec("act_resolution", "act", "Постановление", ("I.58",), _ACT_STEPS, act_document,
         act_types=("resolution",)),
    Spec("superior_suspension_letter", "act", "Письмо вышестоящего прокурора о приостановлении действия акта",
         ("I.62",), ("superior_decision",), superior_suspension_letter, condition=_suspending),
    Spec("gpo_covering_letter", "act", "Сопроводительное письмо в Генеральную прокуратуру для согласования акта",
         ("I.60",), ("sent_to_gpo",), gpo_covering_letter),
    Spec("act_request", "evaluation", "Запрос о представлении акта", ("R.25",), ("act_requested",), act_request),
    Spec("act_suspension_resolution", "evaluation", "Постановление о приостановлении исполнения акта", ("R.30",),
         ("act_suspended",), act_suspension_resolution),
    Spec("study_conclusion", "evaluation", "Заключение по результатам изучения акта", ("R.26",), ("studied",),
         study_conclusion),
    Spec("transfer_letter", "evaluation", "Письмо о направлении материалов по компетенции", ("R.28",),
         ("transferred",), transfer_letter),
    Spec("court_application", "evaluation", "Заявление в суд (проект)", ("R.31",), ("court_application",),
         court_application),
    Spec("info_request", "analysis", "Запрос информации", ("R.13", "R.14"), ("info_requested",), info_request),
    Spec("analysis_certificate", "analysis", "Справка о результатах анализа", ("R.12", "R.18"), ("ended",),
         analysis_certificate),
    Spec("analysis_requirement", "analysis", "Требование о проведении проверки", ("R.21", "R.22"), ("decision",),
         analysis_requirement, condition=_decision_is("requirement")),
    Spec("analysis_petition", "analysis", "Ходатайство Генеральному Прокурору о назначении проверки", ("R.23",),
         ("decision",), analysis_petition, condition=_decision_is("gp_petition")),
)
BY_CODE = {s.code: s for s in SPECS}


# ------------------------------------------------------------------------------ the service


@dataclass(frozen=True)
class Produced:
    filename: str
    media_type: str
    content: bytes


def _load(session: Session, collection: str, proceeding_id: int, actor: Actor) -> tuple[Row[Any], list[Row[Any]]]:
    """The proceeding (in the actor's scope, else «not found», as the proceeding itself) and its live steps."""
    actor.require(Permission.SIGNED_IN)
    kind = kind_of(collection)
    row = session.execute(select(proceedings_table).where(proceedings_table.c.id == proceeding_id,
                                                          proceedings_table.c.kind == kind.name)).first()
    if row is None or not actor.sees_office(row.office_id):
        raise NotFound(Message("%(what)s %(id)s", what=Message(KIND_LABELS[kind.name].lower()), id=proceeding_id))
    steps = session.execute(select(proceeding_steps).where(proceeding_steps.c.proceeding_id == proceeding_id,
                                                           proceeding_steps.c.withdrawn.is_(False))
                            .order_by(proceeding_steps.c.seq)).all()
    return row, list(steps)


def _specs(kind: str) -> list[Spec]:
    return [s for s in SPECS if s.kind == kind]


def _source(session: Session, calendar: WorkingCalendar, row: Row[Any], steps: list[Row[Any]],
            index: int) -> Source:
    office = session.get(Office, row.office_id)
    assert office is not None
    return Source(session, calendar, row, steps, index, office)


def access_documents(session: Session, collection: str, proceeding_id: int, *, actor: Actor,
                     calendar: WorkingCalendar) -> dict[str, Any]:
    """What can be generated: each document of the kind, on each step it can be drawn up on, with
    the fields still missing; a document with no such step yet is listed as not available."""
    row, steps = _load(session, collection, proceeding_id, actor)
    act_type = steps[0].data.get("act_type") if steps else None
    records = _records(session, row)
    items = []
    for spec in _specs(row.kind):
        if spec.act_types is not None and act_type not in spec.act_types:
            continue
        found = [i for i, s in enumerate(steps) if spec.fits(s, act_type)]
        base = {"code": spec.code, "title": spec.title, "citations": list(spec.citations), "record": None}
        on_records = [r for r in records if r.kind in spec.records]
        if not found and not on_records:
            labels = [kind_of(collection).steps[t].label for t in spec.steps if t in kind_of(collection).steps]
            message = (Message("нет шага, на котором составляется документ: %(steps)s", steps=Listing(labels))
                       if labels else Message("нет внесённого постановления по проверке"))
            items.append(base | {"step": None, "step_type": None, "date": None, "available": False, "missing": [
                {"field": "step", "message": message}], "formats": []})
            continue
        for index in found:
            src = _source(session, calendar, row, steps, index)
            spec.build(src)
            items.append(base | {"step": index, "step_type": steps[index].type, "date": steps[index].date.isoformat(),
                                 "available": not src.missing, "missing": [dict(e) for e in src.missing],
                                 "formats": list(FORMATS) if not src.missing else []})
        for record in on_records:
            src = _record_source(session, calendar, row, steps, record)
            spec.build(src)
            items.append(base | {"step": None, "step_type": None, "record": record.id, "date": record.date.isoformat(),
                                 "available": not src.missing, "missing": [dict(e) for e in src.missing],
                                 "formats": list(FORMATS) if not src.missing else []})
    return {"id": row.id, "number": row.number, "documents": items}


def produce(session: Session, collection: str, proceeding_id: int, code: str, *, actor: Actor,
            calendar: WorkingCalendar, step: int | None = None, fmt: str = "docx",
            record: int | None = None) -> Produced:
    """The document `code` drawn up on step `step` (default: the latest step it fits) as DOCX; for
    `fmt="pdf"` the caller converts it with `to_pdf` (outside the database session: it takes seconds).
    Unknown code → 404; a step it does not fit → 422 on `step`; missing data → 422 naming each field."""
    if fmt not in FORMATS:
        raise InvalidInput.one("format", Message("допустимые значения: %(codes)s", codes=", ".join(FORMATS)))
    row, steps = _load(session, collection, proceeding_id, actor)
    spec = BY_CODE.get(code)
    if spec is None or spec.kind != row.kind:
        raise NotFound(Message("документ %(code)s", code=repr(code)))
    act_type = steps[0].data.get("act_type") if steps else None
    if spec.act_types is not None and act_type not in spec.act_types:
        raise NotFound(Message("документ %(code)s (вид акта: %(type)s)", code=repr(code), type=act_type))
    if record is not None or (step is None and spec.records and not any(spec.fits(s, act_type) for s in steps)):
        return _produce_on_record(session, calendar, spec, row, steps, record)
    fits = [i for i, s in enumerate(steps) if spec.fits(s, act_type)]
    if step is None:
        if not fits:
            raise InvalidInput.one("step", Message("нет шага, на котором составляется документ «%(title)s»",
                                                  title=Message(spec.title)))
        step = fits[-1]
    elif step not in fits:
        raise InvalidInput.one("step", Message("документ «%(title)s» не составляется на шаге %(step)s; "
                                               "подходят шаги: %(fits)s", title=Message(spec.title), step=step,
                                               fits=", ".join(map(str, fits)) or Message("нет")))
    src = _source(session, calendar, row, steps, step)
    context = spec.build(src)
    if src.missing:
        raise InvalidInput(src.missing)
    return Produced(f"{spec.code}-{row.id}-{step}.docx", files.DOCX_TYPE, files.render_docx(spec.code, context))


class _RecordStep:
    """A check's resolution record (I.19, I.20) in the shape of a stored step, for the builders:
    its date, its frozen signer, its fields under the record's type, its number and signing person."""

    def __init__(self, record: Row[Any], seq: int) -> None:
        self.id, self.seq, self.type, self.date = record.id, seq, f"resolution:{record.kind}", record.date
        self.data = {"type": self.type, "date": record.date.isoformat(), "signer": record.signer}
        self.details = {record.kind: record.fields, "number": record.number,
                        "signer_person_id": record.signer_person_id}
        self.withdrawn = False


def _records(session: Session, row: Row[Any]) -> list[Row[Any]]:
    if row.kind != "check":
        return []
    return list(session.execute(select(check_resolutions).where(check_resolutions.c.proceeding_id == row.id)
                                .order_by(check_resolutions.c.date, check_resolutions.c.id)).all())


def _record_source(session: Session, calendar: WorkingCalendar, row: Row[Any], steps: list[Row[Any]],
                   record: Row[Any]) -> Source:
    """The steps up to the record's date, then the record: what it refers to is the check as it then was."""
    before = [s for s in steps if s.date <= record.date] or steps[:1]
    pseudo: Any = _RecordStep(record, (before[-1].seq + 1) if before else 0)
    return _source(session, calendar, row, [*before, pseudo], len(before))


def _produce_on_record(session: Session, calendar: WorkingCalendar, spec: Spec, row: Row[Any],
                       steps: list[Row[Any]], record: int | None) -> Produced:
    records = [r for r in _records(session, row) if r.kind in spec.records]
    if record is None:
        if not records:
            raise InvalidInput.one("record", Message("нет внесённого постановления, на котором составляется "
                                                     "документ «%(title)s»", title=Message(spec.title)))
        chosen = records[-1]
    else:
        found = next((r for r in records if r.id == record), None)
        if found is None:
            raise InvalidInput.one("record", Message("документ «%(title)s» не составляется на записи "
                                                     "%(record)s; подходят: %(fits)s", title=Message(spec.title),
                                                     record=record,
                                                     fits=", ".join(str(r.id) for r in records) or Message("нет")))
        chosen = found
    src = _record_source(session, calendar, row, steps, chosen)
    context = spec.build(src)
    if src.missing:
        raise InvalidInput(src.missing)
    return Produced(f"{spec.code}-{row.id}-r{chosen.id}.docx", files.DOCX_TYPE, files.render_docx(spec.code, context))


def to_pdf(produced: Produced) -> Produced:
    """The same document as PDF (LibreOffice headless; `DocumentsUnavailable` → 503 when it cannot)."""
    return Produced(produced.filename.removesuffix(".docx") + ".pdf", files.PDF_TYPE, files.to_pdf(produced.content))
